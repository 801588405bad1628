//! What the reader controls: the parameters (the run's starting point, declared once for the
//! controls and the URL), the settings they start as, which the reader can change while the run
//! goes, and the actions with their compact URL form.

use crate::sim::{ParamKind, ParamSpec, Params, Value};

use super::{MAX_NODES, USERS};

/// The mean replication lag a follower may be given, in ms.
pub const LAG_MIN: u16 = 10;
pub const LAG_MAX: u16 = 2_000;
/// How much slower a follower may be made (1 is its normal speed).
pub const MAX_SLOW: u8 = 20;
/// The most writes and page reads a second, in tenths (the actions carry tenths).
pub const MAX_WRITE_TENTHS: u8 = 100;
pub const MAX_READ_TENTHS: u8 = 200;

const MODES: &[(&str, &str)] = &[
    ("async", "Asynchronous: OK once the leader has the write"),
    ("semi", "Semi-synchronous: OK once one follower has it too"),
    ("sync", "Synchronous: OK once every follower has it"),
];

/// The parameters: where a run starts. Every one of them can also be changed while the run goes
/// (see `Action`), except the number of followers, which the reader changes by adding and
/// removing followers one at a time.
///
/// - `followers`: followers at the start, beside the leader.
/// - `mode`: what the leader waits for before it tells the client OK.
/// - `ryw`, `mono`, `prefix`: the read guarantees the router enforces (see `Guarantee`).
/// - `lag`: a follower's mean replication lag (from the leader's append to the follower's
///   apply), before its own pace (0.6 to 1.4, seeded) and any slowdown.
/// - `slow`: the last follower starts this many times slower (1: no slow follower).
/// - `writes`, `reads`: writes and page reads a second across the four users; besides these,
///   every writer reloads the page as soon as its write is acknowledged.
pub const REPLICATION_PARAMS: &[ParamSpec] = &[
    ParamSpec { key: "followers", label: "Followers", kind: ParamKind::Int { min: 1, max: (MAX_NODES - 1) as i64 }, default: Value::Int(2) },
    ParamSpec { key: "mode", label: "Replication", kind: ParamKind::Choice(MODES), default: Value::Choice("async") },
    ParamSpec { key: "ryw", label: "Read your own writes", kind: ParamKind::Bool, default: Value::Bool(false) },
    ParamSpec { key: "mono", label: "Monotonic reads", kind: ParamKind::Bool, default: Value::Bool(false) },
    ParamSpec { key: "prefix", label: "Consistent prefix", kind: ParamKind::Bool, default: Value::Bool(false) },
    ParamSpec { key: "lag", label: "Replication lag of a follower, mean (ms)", kind: ParamKind::Int { min: LAG_MIN as i64, max: LAG_MAX as i64 }, default: Value::Int(150) },
    ParamSpec { key: "slow", label: "The last follower is slower by (×, 1 for not)", kind: ParamKind::Int { min: 1, max: MAX_SLOW as i64 }, default: Value::Int(4) },
    ParamSpec { key: "writes", label: "Writes per second", kind: ParamKind::Float { min: 0.0, max: MAX_WRITE_TENTHS as f64 / 10.0 }, default: Value::Float(3.0) },
    ParamSpec { key: "reads", label: "Page reads per second (besides each writer's reload)", kind: ParamKind::Float { min: 0.0, max: MAX_READ_TENTHS as f64 / 10.0 }, default: Value::Float(5.0) },
];

/// What the leader waits for before it tells the client its write is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Nothing: OK as soon as the write is in the leader's log.
    Async,
    /// The first follower to apply the write.
    Semi,
    /// Every follower.
    Sync,
}

impl Mode {
    pub const ALL: [Mode; 3] = [Mode::Async, Mode::Semi, Mode::Sync];

    pub fn index(self) -> usize {
        self as usize
    }

    /// The value the URL carries.
    pub fn key(self) -> &'static str {
        MODES[self.index()].0
    }

    pub fn label(self) -> &'static str {
        ["asynchronous", "semi-synchronous", "synchronous"][self.index()]
    }

    /// A word for the stage.
    pub fn short(self) -> &'static str {
        ["async", "semi-sync", "sync"][self.index()]
    }

    /// What the client's OK waits for, in a few words.
    pub fn waits_for(self) -> &'static str {
        ["the leader alone", "the first follower", "every follower"][self.index()]
    }

    fn from_key(key: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|mode| mode.key() == key)
    }
}

/// A read guarantee the router can enforce, each by where it sends a page's two queries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guarantee {
    /// The client carries the log position of its own latest acknowledged write; only a
    /// replica that has applied that far may serve it (another follower, else the leader).
    ReadYourWrites,
    /// The client carries the newest log position it has seen; only a replica at least that
    /// far along may serve it, so nothing it saw can vanish from a later page.
    Monotonic,
    /// Both queries of a page (the questions and the answers) go to one replica, so the page
    /// is one prefix of the log and an answer never shows without its question.
    Prefix,
}

impl Guarantee {
    pub const ALL: [Guarantee; 3] = [Guarantee::ReadYourWrites, Guarantee::Monotonic, Guarantee::Prefix];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn label(self) -> &'static str {
        ["read-your-writes", "monotonic reads", "consistent prefix"][self.index()]
    }

    fn code(self) -> char {
        ['r', 'm', 'p'][self.index()]
    }
}

/// Which guarantees the router enforces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Guarantees {
    pub read_your_writes: bool,
    pub monotonic: bool,
    pub prefix: bool,
}

impl Guarantees {
    pub fn is_on(&self, guarantee: Guarantee) -> bool {
        match guarantee {
            Guarantee::ReadYourWrites => self.read_your_writes,
            Guarantee::Monotonic => self.monotonic,
            Guarantee::Prefix => self.prefix,
        }
    }

    pub(super) fn set(&mut self, guarantee: Guarantee, on: bool) {
        let slot = match guarantee {
            Guarantee::ReadYourWrites => &mut self.read_your_writes,
            Guarantee::Monotonic => &mut self.monotonic,
            Guarantee::Prefix => &mut self.prefix,
        };
        *slot = on;
    }
}

/// The parameters as the model starts from, each clamped to its declared range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Config {
    pub followers: usize,
    pub slow: u8,
    /// What the reader can change while the run goes, as it starts.
    pub settings: Settings,
}

/// What the reader can change while the run goes: `Action`s set these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    pub mode: Mode,
    pub guarantees: Guarantees,
    /// A normal follower's mean replication lag, in ms.
    pub lag_ms: u16,
    /// Writes and page reads per second, in tenths.
    pub write_tenths: u8,
    pub read_tenths: u8,
}

impl Settings {
    pub fn writes_per_second(&self) -> f64 {
        f64::from(self.write_tenths) / 10.0
    }

    pub fn reads_per_second(&self) -> f64 {
        f64::from(self.read_tenths) / 10.0
    }
}

impl Config {
    /// Reads the parameters defensively: a missing key, a wrong kind or an out-of-range value
    /// (a `Params` of another schema, or set without validation) falls back or clamps.
    pub fn from_params(params: &Params) -> Self {
        let number = |key: &str| params.number_in(REPLICATION_PARAMS, key);
        let flag = |key: &str| params.flag_in(REPLICATION_PARAMS, key);
        let tenths = |key: &str| (number(key) * 10.0).round() as u8;
        Self {
            followers: number("followers").round() as usize,
            slow: number("slow").round() as u8,
            settings: Settings {
                mode: Mode::from_key(params.choice_in(REPLICATION_PARAMS, "mode")).unwrap_or(Mode::Async),
                guarantees: Guarantees { read_your_writes: flag("ryw"), monotonic: flag("mono"), prefix: flag("prefix") },
                lag_ms: number("lag").round() as u16,
                write_tenths: tenths("writes"),
                read_tenths: tenths("reads"),
            },
        }
    }
}

/// What the reader does to the running system. Nodes are named by slot (0 for db1), users by
/// their place in `PEOPLE` (0 for Alice). An action that names no such node or user, or that
/// the cluster cannot do now, is ignored and said so, never a panic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Mode(Mode),
    /// Switches a read guarantee on (`true`) or off.
    Set(Guarantee, bool),
    /// A normal follower's mean lag, in ms (clamped to `LAG_MIN..=LAG_MAX`).
    Lag(u16),
    /// Writes a second, in tenths (at most `MAX_WRITE_TENTHS`).
    Writes(u8),
    /// Page reads a second, in tenths (at most `MAX_READ_TENTHS`).
    Reads(u8),
    /// Makes a node that many times slower whenever it follows (1 restores it).
    Speed(u8, u8),
    /// The leader dies. The follower named is promoted, or with `None` the most up-to-date one.
    Fail(Option<u8>),
    /// A dead node comes back as a follower: what only it had is thrown away.
    Rejoin(u8),
    /// A new follower, restored from a snapshot of the leader as it is now.
    Add,
    /// A follower (or a dead node) leaves the cluster for good.
    Remove(u8),
    /// The user posts now (an answer to the latest question, or the first question).
    Post(u8),
    /// The user loads the page now.
    Read(u8),
}

impl Action {
    /// Compact text for the URL: `masync`/`msemi`/`msync` the mode; `gr1`, `gm0`, `gp1` a
    /// guarantee (read-your-writes, monotonic, prefix) on or off; `l150` the lag in ms; `w35`
    /// and `r60` the writes and reads a second in tenths; `s2x4` node 2 four times slower; `f`
    /// fail the leader (promote the most up-to-date), `f2` promoting node 2; `j2` node 2
    /// rejoins; `a` add a follower; `x2` remove node 2; `p0` and `v0` user 0 posts or reads.
    pub fn encode(&self) -> String {
        match *self {
            Action::Mode(mode) => format!("m{}", mode.key()),
            Action::Set(guarantee, on) => format!("g{}{}", guarantee.code(), u8::from(on)),
            Action::Lag(ms) => format!("l{ms}"),
            Action::Writes(tenths) => format!("w{tenths}"),
            Action::Reads(tenths) => format!("r{tenths}"),
            Action::Speed(node, factor) => format!("s{node}x{factor}"),
            Action::Fail(None) => "f".to_string(),
            Action::Fail(Some(node)) => format!("f{node}"),
            Action::Rejoin(node) => format!("j{node}"),
            Action::Add => "a".to_string(),
            Action::Remove(node) => format!("x{node}"),
            Action::Post(user) => format!("p{user}"),
            Action::Read(user) => format!("v{user}"),
        }
    }

    /// Reads exactly what `encode` writes (numbers in range, without a sign or a leading zero);
    /// anything else is `None`.
    pub fn decode(text: &str) -> Option<Action> {
        let (tag, rest) = text.split_at_checked(1)?;
        let node = |digits: &str| number(digits, 0, MAX_NODES as u32 - 1).map(|value| value as u8);
        let user = |digits: &str| number(digits, 0, USERS as u32 - 1).map(|value| value as u8);
        match tag {
            "m" => Mode::from_key(rest).map(Action::Mode),
            "g" => {
                let (code, on) = rest.split_at_checked(1)?;
                let guarantee = Guarantee::ALL.into_iter().find(|guarantee| code.starts_with(guarantee.code()))?;
                match on {
                    "1" => Some(Action::Set(guarantee, true)),
                    "0" => Some(Action::Set(guarantee, false)),
                    _ => None,
                }
            }
            "l" => number(rest, u32::from(LAG_MIN), u32::from(LAG_MAX)).map(|ms| Action::Lag(ms as u16)),
            "w" => number(rest, 0, u32::from(MAX_WRITE_TENTHS)).map(|tenths| Action::Writes(tenths as u8)),
            "r" => number(rest, 0, u32::from(MAX_READ_TENTHS)).map(|tenths| Action::Reads(tenths as u8)),
            "s" => {
                let (which, factor) = rest.split_once('x')?;
                Some(Action::Speed(node(which)?, number(factor, 1, u32::from(MAX_SLOW))? as u8))
            }
            "f" if rest.is_empty() => Some(Action::Fail(None)),
            "f" => node(rest).map(|node| Action::Fail(Some(node))),
            "j" => node(rest).map(Action::Rejoin),
            "a" if rest.is_empty() => Some(Action::Add),
            "x" => node(rest).map(Action::Remove),
            "p" => user(rest).map(Action::Post),
            "v" => user(rest).map(Action::Read),
            _ => None,
        }
    }
}

/// A whole number written the canonical way within `low..=high`.
fn number(digits: &str, low: u32, high: u32) -> Option<u32> {
    crate::sim::query::canonical_number(digits).filter(|value| (low..=high).contains(value))
}
