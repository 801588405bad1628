//! What the reader controls: the parameters (declared once for the controls and the URL), the
//! settings that can change while the run goes, and the actions with their compact URL form.

use crate::sim::{ParamKind, ParamSpec, Params, Value};

use super::{MAX_BROKERS, MAX_CONSUMERS, MAX_PARTITIONS, MAX_RATE, MAX_REPLICATION, MAX_SPEED, MIN_BROKERS};

/// When the producer counts a record as written (the producer config `acks`; kafka.apache.org
/// documentation, Producer Configs; its default is `all` since Kafka 3.0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acks {
    /// Sent is written: no answer is awaited, so nothing is retried.
    Zero,
    /// The leader has appended it.
    Leader,
    /// Every replica in the in-sync set has it (the high-water mark passed it), and the set had
    /// at least `min.insync.replicas` members.
    All,
}

impl Acks {
    pub const ALL: [Acks; 3] = [Acks::Zero, Acks::Leader, Acks::All];

    /// The value the URL and the config carry: `0`, `1`, `all`.
    pub fn key(self) -> &'static str {
        match self {
            Acks::Zero => "0",
            Acks::Leader => "1",
            Acks::All => "all",
        }
    }

    fn code(self) -> char {
        match self {
            Acks::Zero => '0',
            Acks::Leader => '1',
            Acks::All => 'a',
        }
    }
}

const ACKS: &[(&str, &str)] = &[("0", "0: do not wait for the broker"), ("1", "1: the leader has it"), ("all", "all: every in-sync replica has it")];

/// The parameters. `brokers`, `partitions`, `rf` and `consumers` shape the cluster and start a
/// new run; the others are where the run starts, and actions change them while it goes
/// (`Action::SetAcks` and the rest), as a reader turning a knob expects.
///
/// - `minisr`: Kafka's default `min.insync.replicas` is 1 (kafka.apache.org documentation,
///   Broker Configs and Topic Configs); this tool starts at 2, the usual choice with three
///   replicas, so that `acks=all` means two copies.
/// - `idem`: `enable.idempotence`, on by default since Kafka 3.0 (Producer Configs).
pub const KAFKA_PARAMS: &[ParamSpec] = &[
    ParamSpec { key: "brokers", label: "Brokers", kind: ParamKind::Int { min: MIN_BROKERS as i64, max: MAX_BROKERS as i64 }, default: Value::Int(3) },
    ParamSpec { key: "partitions", label: "Partitions in the topic", kind: ParamKind::Int { min: 1, max: MAX_PARTITIONS as i64 }, default: Value::Int(4) },
    ParamSpec { key: "rf", label: "Replication factor (copies of each partition)", kind: ParamKind::Int { min: 1, max: MAX_REPLICATION as i64 }, default: Value::Int(3) },
    ParamSpec { key: "consumers", label: "Consumers in the group at the start", kind: ParamKind::Int { min: 1, max: MAX_CONSUMERS as i64 }, default: Value::Int(2) },
    ParamSpec { key: "acks", label: "acks (producer)", kind: ParamKind::Choice(ACKS), default: Value::Choice("all") },
    ParamSpec { key: "minisr", label: "min.insync.replicas (topic)", kind: ParamKind::Int { min: 1, max: MAX_REPLICATION as i64 }, default: Value::Int(2) },
    ParamSpec { key: "idem", label: "Idempotent producer (enable.idempotence)", kind: ParamKind::Bool, default: Value::Bool(true) },
    ParamSpec { key: "rate", label: "Records produced per second", kind: ParamKind::Int { min: 0, max: MAX_RATE as i64 }, default: Value::Int(20) },
    ParamSpec { key: "consume", label: "Records each consumer processes per second", kind: ParamKind::Int { min: 1, max: MAX_SPEED as i64 }, default: Value::Int(15) },
];

/// The shape of the cluster, fixed for a run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Config {
    pub brokers: usize,
    pub partitions: usize,
    pub replication: usize,
    pub consumers: usize,
    /// Where the live settings start.
    pub start: Settings,
}

/// What the reader can change while the run goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    pub acks: Acks,
    pub min_insync: u8,
    /// `enable.idempotence` as set. Kafka only runs an idempotent producer with `acks=all`
    /// (it refuses the setting with other acks, or turns idempotence off when it was not set
    /// explicitly: KAFKA-13673), so see [`Settings::idempotent`].
    pub idempotence: bool,
    /// Records the producers make a second, both together.
    pub rate: u32,
    /// Records each consumer processes a second.
    pub speed: u32,
}

impl Settings {
    /// Whether the producers really run idempotent: asked for, with `acks=all`.
    pub fn idempotent(&self) -> bool {
        self.idempotence && self.acks == Acks::All
    }

    /// The parameter `key`'s value as it stands in the running cluster, for a live control;
    /// `None` for a parameter that shapes the cluster (those start a new run).
    pub fn value(&self, key: &str) -> Option<Value> {
        Some(match key {
            "acks" => Value::Choice(self.acks.key()),
            "minisr" => Value::Int(i64::from(self.min_insync)),
            "idem" => Value::Bool(self.idempotence),
            "rate" => Value::Int(i64::from(self.rate)),
            "consume" => Value::Int(i64::from(self.speed)),
            _ => return None,
        })
    }
}

impl Config {
    /// Reads the parameters defensively (see `Params::number_in`).
    pub fn from_params(params: &Params) -> Self {
        let whole = |key: &str| params.number_in(KAFKA_PARAMS, key).round() as usize;
        let acks = match params.choice_in(KAFKA_PARAMS, "acks") {
            "0" => Acks::Zero,
            "1" => Acks::Leader,
            _ => Acks::All,
        };
        let brokers = whole("brokers");
        Self {
            brokers,
            partitions: whole("partitions"),
            replication: whole("rf").min(brokers),
            consumers: whole("consumers"),
            start: Settings { acks, min_insync: whole("minisr") as u8, idempotence: params.flag_in(KAFKA_PARAMS, "idem"), rate: whole("rate") as u32, speed: whole("consume") as u32 },
        }
    }
}

/// What the reader does to the running system. Brokers are numbered from 0 (B1), consumers by
/// their place in the group's list from 0; a number that names nothing is ignored (and said
/// so), never a panic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The broker's process dies; its disk (its logs) survives.
    Kill(u8),
    Restart(u8),
    /// A consumer joins the group: a rebalance.
    AddConsumer,
    /// The consumer commits what it has processed and leaves: a rebalance.
    RemoveConsumer(u8),
    /// The consumer dies without committing: a rebalance, and its uncommitted work is done again.
    CrashConsumer(u8),
    /// The next acknowledgement a broker sends a producer is lost on the way, so the producer
    /// times out and sends the batch again.
    LoseAck,
    SetAcks(Acks),
    SetMinInsync(u8),
    SetIdempotence(bool),
    SetRate(u32),
    SetSpeed(u32),
}

impl Action {
    /// The action that sets the parameter `key` to `value` in the running cluster (the inverse
    /// of [`Settings::value`]); `None` for a parameter that shapes the cluster, or a value of
    /// the wrong kind. Numbers are clamped to the parameter's range.
    pub fn from_param(key: &str, value: Value) -> Option<Action> {
        let whole = |value: i64, max: u32| u32::try_from(value.max(0)).unwrap_or(max).min(max);
        match (key, value) {
            ("acks", Value::Choice(acks)) => Acks::ALL.into_iter().find(|each| each.key() == acks).map(Action::SetAcks),
            ("minisr", Value::Int(count)) => Some(Action::SetMinInsync(whole(count, MAX_REPLICATION as u32).max(1) as u8)),
            ("idem", Value::Bool(on)) => Some(Action::SetIdempotence(on)),
            ("rate", Value::Int(rate)) => Some(Action::SetRate(whole(rate, MAX_RATE))),
            ("consume", Value::Int(speed)) => Some(Action::SetSpeed(whole(speed, MAX_SPEED).max(1))),
            _ => None,
        }
    }

    /// Compact text for the URL: `k1` kills B2, `r1` restarts it, `a` adds a consumer, `l0` and
    /// `c0` make the first consumer leave or crash, `x` loses the next acknowledgement, `A0`,
    /// `A1`, `Aa` set acks to 0, 1 and all, `m2` sets min.insync.replicas, `i1`/`i0` switch
    /// idempotence, `p30` sets 30 records a second, `s12` a consumer speed of 12 a second.
    pub fn encode(&self) -> String {
        match *self {
            Action::Kill(broker) => format!("k{broker}"),
            Action::Restart(broker) => format!("r{broker}"),
            Action::AddConsumer => "a".to_string(),
            Action::RemoveConsumer(slot) => format!("l{slot}"),
            Action::CrashConsumer(slot) => format!("c{slot}"),
            Action::LoseAck => "x".to_string(),
            Action::SetAcks(acks) => format!("A{}", acks.code()),
            Action::SetMinInsync(count) => format!("m{count}"),
            Action::SetIdempotence(on) => format!("i{}", u8::from(on)),
            Action::SetRate(rate) => format!("p{rate}"),
            Action::SetSpeed(speed) => format!("s{speed}"),
        }
    }

    /// Reads exactly what `encode` writes, with every number in its range (no sign, no leading
    /// zero); anything else is `None`.
    pub fn decode(text: &str) -> Option<Action> {
        match text {
            "a" => return Some(Action::AddConsumer),
            "x" => return Some(Action::LoseAck),
            "A0" => return Some(Action::SetAcks(Acks::Zero)),
            "A1" => return Some(Action::SetAcks(Acks::Leader)),
            "Aa" => return Some(Action::SetAcks(Acks::All)),
            "i0" => return Some(Action::SetIdempotence(false)),
            "i1" => return Some(Action::SetIdempotence(true)),
            _ => {}
        }
        let (tag, digits) = text.split_at_checked(1)?;
        let canonical = !digits.is_empty() && digits.len() <= 3 && digits.bytes().all(|b| b.is_ascii_digit()) && (digits == "0" || !digits.starts_with('0'));
        if !canonical {
            return None;
        }
        let number: u32 = digits.parse().ok()?;
        let below = |limit: usize| u8::try_from(number).ok().filter(|value| usize::from(*value) < limit);
        match tag {
            "k" => below(MAX_BROKERS).map(Action::Kill),
            "r" => below(MAX_BROKERS).map(Action::Restart),
            "l" => below(MAX_CONSUMERS).map(Action::RemoveConsumer),
            "c" => below(MAX_CONSUMERS).map(Action::CrashConsumer),
            "m" => (1..=MAX_REPLICATION as u32).contains(&number).then_some(Action::SetMinInsync(number as u8)),
            "p" => (number <= MAX_RATE).then_some(Action::SetRate(number)),
            "s" => (1..=MAX_SPEED).contains(&number).then_some(Action::SetSpeed(number)),
            _ => None,
        }
    }
}
