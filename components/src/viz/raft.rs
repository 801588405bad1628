//! Raft consensus, as in Ongaro and Ousterhout, "In Search of an Understandable Consensus
//! Algorithm" (USENIX ATC 2014), Figure 2: 3 to 7 servers elect a leader with randomized
//! election timeouts, the leader replicates a client's commands into every log, and an entry is
//! committed once a majority stores it. The reader can stop, restart or time out a server, drop
//! messages in flight and split the network, as in RaftScope.
//!
//! For the view: drive it with `Timeline<Raft>` (parameters `RAFT_PARAMS`, actions `Action`,
//! `RAFT_TICKS_PER_SECOND`, `RAFT_LIMIT`); draw `stage::stage`; read `servers()`,
//! `messages()` (with `progress`), `leader()`, `timer_share`, and the counts.
//!
//! **Time.** One tick is one simulated millisecond. In the browser one simulated millisecond
//! takes 5 real ones at 1× ([`RAFT_TICKS_PER_SECOND`] = 200), as in RaftScope: a message
//! crossing the picture takes a tenth of a second or so, a heartbeat round a quarter of a
//! second, and the first election (an election timeout is 150 to 300 ms by default) starts
//! within about 1.5 real seconds of pressing play.
//!
//! Model choices worth knowing:
//! - Every message takes its own seeded delay, so messages can arrive out of order; the
//!   receivers' rules of Figure 2 cope with that (an entry is only cut from a log on a
//!   conflict, a commit index never goes back, a leader's match index only grows).
//! - A message between the two sides of a partition is lost when sent, and a split loses the
//!   messages already crossing it. A message to or from a stopped server is lost on arrival,
//!   and stopping a server loses what it had sent.
//! - A leader sends AppendEntries to every follower each heartbeat (at most `MAX_BATCH` entries
//!   from the follower's `nextIndex`), and again at once after a refusal. A refusal says where
//!   the follower's log could match (at most its length + 1), so a leader steps back quickly.
//! - The client hands its commands straight to the leader of the highest term among running
//!   servers; with no leader they wait (at most `MAX_WAITING`). Commands are numbered 1, 2, 3…
//! - A stopped server's timer stands still; on restart it keeps its term, vote and log (its
//!   persistent state) and starts as a follower with a commit index of 0 and a fresh timer.
//! - A leader commits only entries of its own term by counting replicas (§5.4.2); older ones
//!   are committed with them. There is no no-op entry at the start of a term.
//! - Entries are applied as soon as they are committed, so `lastApplied` follows `commitIndex`.

use crate::sim::{ParamKind, ParamSpec, Params, SimRng, Simulation, Value};

pub mod poster;
pub mod stage;
#[cfg(test)]
mod tests;

pub const MIN_SERVERS: usize = 3;
pub const MAX_SERVERS: usize = 7;
/// Simulated milliseconds per tick.
pub const TICK_MS: u64 = 1;
/// Ticks per real second at 1× in the browser: a simulated millisecond lasts 5 real ones.
pub const RAFT_TICKS_PER_SECOND: f64 = 200.0;
/// How far a run goes: a simulated minute, five real minutes at 1×.
pub const RAFT_LIMIT: u64 = 60_000;
/// The most entries one AppendEntries carries, so catching up after a long absence is visible
/// as a few rounds rather than one huge message.
pub const MAX_BATCH: usize = 32;
/// Client commands that wait for a leader at most; more are turned away.
pub const MAX_WAITING: u32 = 20;
/// The most client commands a simulated second. Every keyframe of the timeline holds every log,
/// so the logs' growth sets the memory a run takes: at this rate for all of `RAFT_LIMIT`, about
/// 16 MB in all; at the default rate, a fifth of that.
pub const MAX_RATE: f64 = 10.0;
/// How long an event stays the narration, in ticks, before a summary of the state replaces it.
const NARRATE_TICKS: u64 = 100;

/// The parameters. Changing one starts a new run. With the defaults the first election starts
/// within 300 simulated ms, and a leader's heartbeats (every 50 ms, arriving at most 80 ms
/// apart) stay well inside the shortest election timeout.
pub const RAFT_PARAMS: &[ParamSpec] = &[
    ParamSpec { key: "servers", label: "Servers", kind: ParamKind::Int { min: MIN_SERVERS as i64, max: MAX_SERVERS as i64 }, default: Value::Int(5) },
    ParamSpec { key: "tmin", label: "Election timeout, shortest (ms)", kind: ParamKind::Int { min: 10, max: 2000 }, default: Value::Int(150) },
    ParamSpec { key: "tmax", label: "Election timeout, longest (ms)", kind: ParamKind::Int { min: 10, max: 2000 }, default: Value::Int(300) },
    ParamSpec { key: "beat", label: "Heartbeat every (ms)", kind: ParamKind::Int { min: 5, max: 1000 }, default: Value::Int(50) },
    ParamSpec { key: "dmin", label: "Network delay, shortest (ms)", kind: ParamKind::Int { min: 1, max: 500 }, default: Value::Int(10) },
    ParamSpec { key: "dmax", label: "Network delay, longest (ms)", kind: ParamKind::Int { min: 1, max: 500 }, default: Value::Int(30) },
    ParamSpec { key: "rate", label: "Client commands per second (0: only on demand)", kind: ParamKind::Float { min: 0.0, max: MAX_RATE }, default: Value::Float(2.0) },
];

/// The parameters as the model uses them: ranges put in order, everything clamped.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Config {
    pub servers: usize,
    /// Shortest and longest election timeout, in ms.
    pub timeout: (u64, u64),
    pub heartbeat: u64,
    /// Shortest and longest network delay, in ms.
    pub delay: (u64, u64),
    /// Client commands per simulated second.
    pub rate: f64,
}

impl Config {
    /// Reads the parameters defensively (see `Params::number_in`); a range given backwards is
    /// put the right way round rather than refused.
    pub fn from_params(params: &Params) -> Self {
        let whole = |key: &str| params.number_in(RAFT_PARAMS, key).round() as u64;
        let range = |a: u64, b: u64| (a.min(b), a.max(b));
        Self {
            servers: whole("servers") as usize,
            timeout: range(whole("tmin"), whole("tmax")),
            heartbeat: whole("beat").max(1),
            delay: range(whole("dmin").max(1), whole("dmax").max(1)),
            rate: params.number_in(RAFT_PARAMS, "rate"),
        }
    }
}

/// A server's name as drawn and told: S1 to S7.
pub fn name(server: usize) -> String {
    format!("S{}", server + 1)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Follower,
    Candidate,
    Leader,
}

impl Role {
    pub fn word(self) -> &'static str {
        match self {
            Role::Follower => "follower",
            Role::Candidate => "candidate",
            Role::Leader => "leader",
        }
    }
}

/// One log entry: the term it was created in and the client's command (its number).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub term: u32,
    pub command: u32,
}

/// One server. Indexes are 1-based as in the paper: `log[0]` is entry 1, and 0 means none.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    // Persistent: kept through a stop and restart.
    pub term: u32,
    pub voted_for: Option<u8>,
    pub log: Vec<Entry>,
    // Volatile.
    pub commit: u32,
    pub applied: u32,
    pub role: Role,
    pub up: bool,
    /// When the running timer started and when it fires (election timer, or a leader's next
    /// heartbeat).
    timer_from: u64,
    deadline: u64,
    /// A candidate's votes, one bit per server.
    votes: u8,
    /// A leader's nextIndex[] and matchIndex[].
    next: [u32; MAX_SERVERS],
    matched: [u32; MAX_SERVERS],
}

impl Server {
    pub fn last_index(&self) -> u32 {
        self.log.len() as u32
    }

    pub fn last_term(&self) -> u32 {
        self.log.last().map_or(0, |entry| entry.term)
    }

    /// The term of entry `index` (0 for index 0 or past the end).
    pub fn term_at(&self, index: u32) -> u32 {
        index.checked_sub(1).and_then(|at| self.log.get(at as usize)).map_or(0, |entry| entry.term)
    }

    /// How many votes a candidate has, its own included.
    pub fn votes(&self) -> u32 {
        self.votes.count_ones()
    }
}

/// What a message carries: the two RPCs of Figure 2 and their replies.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    RequestVote { term: u32, last_index: u32, last_term: u32 },
    Vote { term: u32, granted: bool },
    Append { term: u32, prev_index: u32, prev_term: u32, entries: Vec<Entry>, commit: u32 },
    /// On success `index` is the last entry now known to match; on a refusal, the index the
    /// leader should try next.
    Appended { term: u32, success: bool, index: u32 },
}

impl Body {
    pub fn term(&self) -> u32 {
        match self {
            Body::RequestVote { term, .. } | Body::Vote { term, .. } | Body::Append { term, .. } | Body::Appended { term, .. } => *term,
        }
    }

    /// The message in a few words, for the narration.
    pub fn describe(&self) -> &'static str {
        match self {
            Body::RequestVote { .. } => "a vote request",
            Body::Vote { granted: true, .. } => "a vote",
            Body::Vote { .. } => "a refused vote",
            Body::Append { entries, .. } if entries.is_empty() => "a heartbeat",
            Body::Append { .. } => "an AppendEntries with entries",
            Body::Appended { success: true, .. } => "an acknowledgement",
            Body::Appended { .. } => "a refused AppendEntries",
        }
    }
}

/// A message in flight. Ids count up from 0 in sending order, so they are the same on every
/// replay of a run and `Action::Drop` can name one.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub id: u32,
    pub from: u8,
    pub to: u8,
    pub sent: u64,
    pub arrives: u64,
    pub body: Body,
}

/// What the reader does to the running cluster. Server numbers outside the cluster, and a
/// split that leaves a side empty, are ignored (and said so), never a panic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Stop(u8),
    Restart(u8),
    /// The server's election timer runs out now (a leader gives up its term and stands again).
    Timeout(u8),
    /// A client command, now.
    Request,
    Drop(u32),
    DropAll,
    /// Splits the servers in two: those whose bit is set, and the rest.
    Partition(u8),
    Heal,
}

impl Action {
    /// Compact text for the URL: `s2` stop, `r2` restart, `t2` time out (server numbers from
    /// 0), `q` a command, `d17` drop message 17, `x` drop all, `p01` split {0, 1} from the
    /// rest, `h` heal.
    pub fn encode(&self) -> String {
        match *self {
            Action::Stop(server) => format!("s{server}"),
            Action::Restart(server) => format!("r{server}"),
            Action::Timeout(server) => format!("t{server}"),
            Action::Request => "q".to_string(),
            Action::Drop(id) => format!("d{id}"),
            Action::DropAll => "x".to_string(),
            Action::Partition(mask) => format!("p{}", (0..8).filter(|bit| mask & (1 << bit) != 0).map(|bit| char::from(b'0' + bit)).collect::<String>()),
            Action::Heal => "h".to_string(),
        }
    }

    /// Reads exactly what `encode` writes (server digits 0 to 6, ids without a sign or a
    /// leading zero, a split's servers in increasing order); anything else is `None`.
    pub fn decode(text: &str) -> Option<Action> {
        let server = |rest: &str| match rest.as_bytes() {
            [digit @ b'0'..=b'6'] => Some(digit - b'0'),
            _ => None,
        };
        let (tag, rest) = text.split_at_checked(1)?;
        match tag {
            "s" => server(rest).map(Action::Stop),
            "r" => server(rest).map(Action::Restart),
            "t" => server(rest).map(Action::Timeout),
            "q" if rest.is_empty() => Some(Action::Request),
            "x" if rest.is_empty() => Some(Action::DropAll),
            "h" if rest.is_empty() => Some(Action::Heal),
            "d" => {
                let canonical = !rest.is_empty() && rest.len() <= 10 && rest.bytes().all(|b| b.is_ascii_digit()) && (rest == "0" || !rest.starts_with('0'));
                if canonical {
                    rest.parse().ok().map(Action::Drop)
                } else {
                    None
                }
            }
            "p" => {
                let mut mask = 0u8;
                let mut last = None;
                for digit in rest.bytes() {
                    let bit = server(std::str::from_utf8(&[digit]).ok()?)?;
                    if last.is_some_and(|last| bit <= last) {
                        return None;
                    }
                    last = Some(bit);
                    mask |= 1 << bit;
                }
                (mask != 0).then_some(Action::Partition(mask))
            }
            _ => None,
        }
    }
}

/// Something worth telling, kept with its tick for the narration.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Event {
    Started,
    Election { server: usize, term: u32, forced: bool },
    Elected { server: usize, term: u32, votes: u32 },
    SteppedDown { server: usize, term: u32 },
    Committed { leader: usize, from: u32, to: u32, term: u32 },
    Stopped(usize),
    Restarted(usize),
    Appended { leader: usize, from: u32, to: u32 },
    Waiting(u32),
    Dropped { id: u32, from: u8, to: u8, what: &'static str },
    DroppedAll(usize),
    Partitioned(u8),
    Healed,
    Ignored(&'static str),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Raft {
    config: Config,
    tick: u64,
    /// Timers and network delays.
    rng: SimRng,
    /// The client's arrivals, apart so that changing the rate leaves the elections alone.
    client_rng: SimRng,
    servers: Vec<Server>,
    /// In id order, which is sending order.
    messages: Vec<Message>,
    next_id: u32,
    /// One side of the split (a bit per server); 0 when the network is whole.
    partition: u8,
    next_request: Option<u64>,
    waiting: u32,
    commands: u32,
    elections: u32,
    dropped: u32,
    event: (u64, Event),
}

impl Raft {
    fn build(params: &Params, seed: u64) -> Self {
        let config = Config::from_params(params);
        let mut rng = SimRng::new(seed);
        let blank = Server { term: 0, voted_for: None, log: Vec::new(), commit: 0, applied: 0, role: Role::Follower, up: true, timer_from: 0, deadline: 0, votes: 0, next: [1; MAX_SERVERS], matched: [0; MAX_SERVERS] };
        let servers = (0..config.servers)
            .map(|_| {
                let deadline = between(&mut rng, config.timeout);
                Server { deadline, ..blank.clone() }
            })
            .collect();
        let mut client_rng = SimRng::new(seed ^ 0x5DEE_CE66_D1CE_4E5B);
        let next_request = arrival(&mut client_rng, config.rate, 0);
        Self { config, tick: 0, rng, client_rng, servers, messages: Vec::new(), next_id: 0, partition: 0, next_request, waiting: 0, commands: 0, elections: 0, dropped: 0, event: (0, Event::Started) }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn servers(&self) -> &[Server] {
        &self.servers
    }

    /// Messages in flight, oldest first.
    pub fn messages(&self) -> &[Message] {
        &self.messages
    }

    /// How far along its way a message is: 0 when sent, nearing 1 as it arrives.
    pub fn progress(&self, message: &Message) -> f32 {
        let total = message.arrives.saturating_sub(message.sent).max(1);
        (self.tick.saturating_sub(message.sent) as f32 / total as f32).clamp(0.0, 1.0)
    }

    /// How much of a running election timer has gone by (0 to 1); `None` for a leader (it has
    /// none) and a stopped server.
    pub fn timer_share(&self, server: usize) -> Option<f32> {
        let server = self.servers.get(server).filter(|server| server.up && server.role != Role::Leader)?;
        let total = server.deadline.saturating_sub(server.timer_from).max(1);
        Some((self.tick.saturating_sub(server.timer_from) as f32 / total as f32).clamp(0.0, 1.0))
    }

    /// Milliseconds until a running election timer fires; `None` as for `timer_share`.
    pub fn timer_remaining(&self, server: usize) -> Option<u64> {
        let state = self.servers.get(server).filter(|state| state.up && state.role != Role::Leader)?;
        Some(state.deadline.saturating_sub(self.tick) * TICK_MS)
    }

    /// The running leader of the highest term, which is where the client sends its commands.
    /// (A leader cut off in an older term may still believe it leads.)
    pub fn leader(&self) -> Option<usize> {
        let mut best: Option<usize> = None;
        for (index, server) in self.servers.iter().enumerate() {
            if server.up && server.role == Role::Leader && best.is_none_or(|best| self.servers[best].term < server.term) {
                best = Some(index);
            }
        }
        best
    }

    /// Elections started since the beginning.
    pub fn elections(&self) -> u32 {
        self.elections
    }

    /// The highest commit index any server knows.
    pub fn committed(&self) -> u32 {
        self.servers.iter().map(|server| server.commit).max().unwrap_or(0)
    }

    /// Messages lost so far: dropped by the reader, cut by a partition, or sent to or from a
    /// stopped server.
    pub fn dropped(&self) -> u32 {
        self.dropped
    }

    /// Client commands waiting for a leader.
    pub fn waiting(&self) -> u32 {
        self.waiting
    }

    /// One side of the split (a bit per server), if the network is split.
    pub fn partition(&self) -> Option<u8> {
        (self.partition != 0).then_some(self.partition)
    }

    /// Whether a message can pass between two servers (the same side of any split).
    pub fn linked(&self, a: usize, b: usize) -> bool {
        self.partition == 0 || (self.partition >> a) & 1 == (self.partition >> b) & 1
    }

    pub fn majority(&self) -> usize {
        self.servers.len() / 2 + 1
    }

    fn count(&self) -> usize {
        self.servers.len()
    }

    fn reset_timer(&mut self, server: usize, length: u64) {
        let now = self.tick;
        let server = &mut self.servers[server];
        server.timer_from = now;
        server.deadline = now + length;
    }

    fn reset_election_timer(&mut self, server: usize) {
        let length = between(&mut self.rng, self.config.timeout);
        self.reset_timer(server, length);
    }

    fn send(&mut self, from: usize, to: usize, body: Body) {
        if !self.linked(from, to) {
            self.dropped += 1;
            return;
        }
        let delay = between(&mut self.rng, self.config.delay);
        self.messages.push(Message { id: self.next_id, from: from as u8, to: to as u8, sent: self.tick, arrives: self.tick + delay, body });
        self.next_id += 1;
    }

    /// Figure 2, "all servers": a higher term seen in any message makes a server a follower
    /// of that term with no vote cast yet.
    fn adopt_term(&mut self, server: usize, term: u32) {
        let was_leader = self.servers[server].role == Role::Leader;
        let state = &mut self.servers[server];
        state.term = term;
        state.voted_for = None;
        state.role = Role::Follower;
        if was_leader {
            // A leader runs no election timer; as a follower it needs one again.
            self.reset_election_timer(server);
            self.event = (self.tick, Event::SteppedDown { server, term });
        }
    }

    fn start_election(&mut self, server: usize, forced: bool) {
        let state = &mut self.servers[server];
        state.term += 1;
        state.role = Role::Candidate;
        state.voted_for = Some(server as u8);
        state.votes = 1 << server;
        let (term, last_index, last_term) = (state.term, state.last_index(), state.last_term());
        self.reset_election_timer(server);
        self.elections += 1;
        self.event = (self.tick, Event::Election { server, term, forced });
        for peer in (0..self.count()).filter(|peer| *peer != server) {
            self.send(server, peer, Body::RequestVote { term, last_index, last_term });
        }
    }

    fn become_leader(&mut self, server: usize) {
        let state = &mut self.servers[server];
        state.role = Role::Leader;
        state.next = [state.last_index() + 1; MAX_SERVERS];
        state.matched = [0; MAX_SERVERS];
        self.event = (self.tick, Event::Elected { server, term: state.term, votes: state.votes() });
        self.heartbeat(server);
    }

    /// AppendEntries to every follower, and the next heartbeat scheduled.
    fn heartbeat(&mut self, leader: usize) {
        for peer in (0..self.count()).filter(|peer| *peer != leader) {
            self.send_append(leader, peer);
        }
        self.reset_timer(leader, self.config.heartbeat);
    }

    fn send_append(&mut self, leader: usize, peer: usize) {
        let state = &self.servers[leader];
        let prev_index = state.next[peer].max(1) - 1;
        let end = state.log.len().min(prev_index as usize + MAX_BATCH);
        let entries = state.log.get(prev_index as usize..end).map(<[Entry]>::to_vec).unwrap_or_default();
        let body = Body::Append { term: state.term, prev_index, prev_term: state.term_at(prev_index), entries, commit: state.commit };
        self.send(leader, peer, body);
    }

    /// Figure 2's last rule for leaders: the highest N above the commit index whose entry is of
    /// the current term and which a majority (the leader included) stores.
    fn advance_commit(&mut self, leader: usize) {
        let majority = self.majority();
        let state = &self.servers[leader];
        let stored = |index: u32| 1 + (0..self.count()).filter(|peer| *peer != leader && state.matched[*peer] >= index).count();
        let found = (state.commit + 1..=state.last_index()).rev().find(|index| state.term_at(*index) == state.term && stored(*index) >= majority);
        if let Some(index) = found {
            let (from, term) = (state.commit + 1, state.term);
            self.servers[leader].commit = index;
            self.event = (self.tick, Event::Committed { leader, from, to: index, term });
        }
    }

    fn receive(&mut self, message: Message) {
        let (from, to) = (usize::from(message.from), usize::from(message.to));
        if message.body.term() > self.servers[to].term {
            self.adopt_term(to, message.body.term());
        }
        match message.body {
            Body::RequestVote { term, last_index, last_term } => {
                let state = &self.servers[to];
                let up_to_date = (last_term, last_index) >= (state.last_term(), state.last_index());
                let free = state.voted_for.is_none_or(|vote| usize::from(vote) == from);
                let granted = term == state.term && free && up_to_date;
                if granted {
                    self.servers[to].voted_for = Some(from as u8);
                    self.reset_election_timer(to);
                }
                let term = self.servers[to].term;
                self.send(to, from, Body::Vote { term, granted });
            }
            Body::Vote { term, granted } => {
                let majority = self.majority();
                let state = &mut self.servers[to];
                if granted && term == state.term && state.role == Role::Candidate {
                    state.votes |= 1 << from;
                    if state.votes() as usize >= majority {
                        self.become_leader(to);
                    }
                }
            }
            Body::Append { term, prev_index, prev_term, entries, commit } => {
                if term < self.servers[to].term {
                    let term = self.servers[to].term;
                    self.send(to, from, Body::Appended { term, success: false, index: 0 });
                    return;
                }
                // The sender leads this term: a candidate gives up, and the election timer
                // starts again.
                self.servers[to].role = Role::Follower;
                self.reset_election_timer(to);
                let state = &mut self.servers[to];
                let reply = if prev_index > state.last_index() || state.term_at(prev_index) != prev_term {
                    Body::Appended { term, success: false, index: prev_index.min(state.last_index() + 1) }
                } else {
                    for (offset, entry) in entries.iter().enumerate() {
                        let index = prev_index as usize + offset;
                        match state.log.get(index) {
                            Some(held) if held.term == entry.term => {}
                            Some(_) => {
                                // A conflict: this entry and all that follow it go.
                                state.log.truncate(index);
                                state.log.push(*entry);
                            }
                            None => state.log.push(*entry),
                        }
                    }
                    let last_new = prev_index + entries.len() as u32;
                    state.commit = state.commit.max(commit.min(last_new));
                    Body::Appended { term, success: true, index: last_new }
                };
                self.send(to, from, reply);
            }
            Body::Appended { term, success, index } => {
                let state = &mut self.servers[to];
                if state.role != Role::Leader || term != state.term {
                    return;
                }
                if success {
                    state.matched[from] = state.matched[from].max(index);
                    state.next[from] = state.next[from].max(index + 1);
                    self.advance_commit(to);
                } else {
                    state.next[from] = state.next[from].min(index).max(1);
                    self.send_append(to, from);
                }
            }
        }
    }

    fn deliver_due(&mut self) {
        let now = self.tick;
        let (due, waiting): (Vec<Message>, Vec<Message>) = std::mem::take(&mut self.messages).into_iter().partition(|message| message.arrives <= now);
        self.messages = waiting;
        for message in due {
            let (from, to) = (usize::from(message.from), usize::from(message.to));
            if self.servers[from].up && self.servers[to].up && self.linked(from, to) {
                self.receive(message);
            } else {
                self.dropped += 1;
            }
        }
    }

    /// The client's waiting commands go to the leader, if there is one.
    fn hand_off(&mut self) {
        let Some(leader) = self.leader().filter(|_| self.waiting > 0) else { return };
        let state = &mut self.servers[leader];
        let from = state.last_index() + 1;
        for _ in 0..self.waiting {
            self.commands += 1;
            state.log.push(Entry { term: state.term, command: self.commands });
        }
        self.waiting = 0;
        self.event = (self.tick, Event::Appended { leader, from, to: state.last_index() });
    }

    fn request(&mut self) {
        self.waiting = (self.waiting + 1).min(MAX_WAITING);
        self.hand_off();
        if self.waiting > 0 {
            self.event = (self.tick, Event::Waiting(self.waiting));
        }
    }

    fn valid(&self, server: u8) -> Option<usize> {
        Some(usize::from(server)).filter(|server| *server < self.count())
    }

    fn describe(&self, event: Event) -> String {
        let names = |mask: u8| (0..self.count()).filter(|server| mask & (1 << server) != 0).map(name).collect::<Vec<_>>().join(", ");
        match event {
            Event::Started => format!("{} servers start as followers in term 0; the first whose election timer runs out will ask the others for votes.", self.count()),
            Event::Election { server, term, forced } => {
                let why = if forced { "was timed out by hand" } else { "heard from no leader before its election timer ran out" };
                format!("{} {why}: it becomes a candidate for term {term}, votes for itself and asks the others for their votes.", name(server))
            }
            Event::Elected { server, term, votes } => format!("{} won {votes} of {} votes and leads term {term}; its heartbeats now keep the others from starting elections.", name(server), self.count()),
            Event::SteppedDown { server, term } => format!("{} saw a message from term {term}, newer than its own, and stepped down to follow.", name(server)),
            Event::Committed { leader, from, to, term } => {
                let entries = if from == to { format!("Entry {to}") } else { format!("Entries {from} to {to}") };
                format!("{entries} reached a majority of logs, so {} (leader of term {term}) commits them; followers learn it with the next AppendEntries.", name(leader))
            }
            Event::Stopped(server) => format!("{} stopped: it loses what it had sent, every message to it is lost, and its timer stands still.", name(server)),
            Event::Restarted(server) => format!("{} restarted with its term, vote and log, which a server keeps on disk, but as a follower that has forgotten its commit index.", name(server)),
            Event::Appended { leader, from, to } => {
                let entries = if from == to { format!("entry {to}") } else { format!("entries {from} to {to}") };
                format!("A client command reached leader {}, which appends it to its log as {entries}, not yet committed.", name(leader))
            }
            Event::Waiting(count) => format!("No leader is running, so the client holds its command ({count} waiting) until one is elected."),
            Event::Dropped { id, from, to, what } => format!("Message {id}, {what} from {} to {}, was dropped; Raft simply sends again later.", name(usize::from(from)), name(usize::from(to))),
            Event::DroppedAll(count) => format!("{} in flight dropped at once; the servers will send again.", counted(count as u32, "message")),
            Event::Partitioned(mask) => format!("The network splits {} from {}: messages across the split are lost.", names(mask), names(!mask)),
            Event::Healed => "The partition heals: every server can reach every other again.".to_string(),
            Event::Ignored(why) => format!("Nothing happened: {why}."),
        }
    }

    /// A summary of the state, for when nothing has happened for a while.
    fn status(&self) -> String {
        let lead = match self.leader() {
            Some(leader) => format!("{} leads term {}", name(leader), self.servers[leader].term),
            None => "No server leads".to_string(),
        };
        let down = self.servers.iter().filter(|server| !server.up).count();
        let down = if down > 0 { format!(", {down} stopped") } else { String::new() };
        format!("{} ms: {lead}{down}; {} committed, {} in flight.", self.tick * TICK_MS, counted(self.committed(), "entry"), counted(self.messages.len() as u32, "message"))
    }
}

pub use crate::sim::number::counted;

/// A whole number of ms between the two ends of `range`, both included.
fn between(rng: &mut SimRng, (low, high): (u64, u64)) -> u64 {
    low + rng.below(high - low + 1)
}

/// When the client's next command comes, after `now`; `None` when it only sends on demand.
fn arrival(rng: &mut SimRng, rate: f64, now: u64) -> Option<u64> {
    (rate > 0.0).then(|| now + (rng.exponential(1000.0 / rate).round() as u64).max(1))
}

impl Simulation for Raft {
    type Action = Action;

    fn new(params: &Params, seed: u64) -> Self {
        Self::build(params, seed)
    }

    fn step(&mut self) {
        self.tick += 1;
        self.deliver_due();
        if self.next_request.is_some_and(|at| at <= self.tick) {
            self.next_request = arrival(&mut self.client_rng, self.config.rate, self.tick);
            self.request();
        }
        for server in 0..self.count() {
            let state = &self.servers[server];
            if !state.up || state.deadline > self.tick {
                continue;
            }
            if state.role == Role::Leader {
                self.heartbeat(server);
            } else {
                self.start_election(server, false);
            }
        }
        for server in self.servers.iter_mut().filter(|server| server.up) {
            server.applied = server.commit;
        }
    }

    fn apply(&mut self, action: &Action) {
        let now = self.tick;
        match *action {
            Action::Stop(server) | Action::Restart(server) | Action::Timeout(server) if self.valid(server).is_none() => {
                self.event = (now, Event::Ignored("there is no such server"));
            }
            Action::Stop(server) => {
                let server = usize::from(server);
                if !self.servers[server].up {
                    self.event = (now, Event::Ignored("that server is already stopped"));
                    return;
                }
                self.servers[server].up = false;
                let before = self.messages.len();
                self.messages.retain(|message| usize::from(message.from) != server);
                self.dropped += (before - self.messages.len()) as u32;
                self.event = (now, Event::Stopped(server));
            }
            Action::Restart(server) => {
                let server = usize::from(server);
                if self.servers[server].up {
                    self.event = (now, Event::Ignored("that server is running"));
                    return;
                }
                let state = &mut self.servers[server];
                state.up = true;
                state.role = Role::Follower;
                state.commit = 0;
                state.applied = 0;
                state.votes = 0;
                state.next = [1; MAX_SERVERS];
                state.matched = [0; MAX_SERVERS];
                self.reset_election_timer(server);
                self.event = (now, Event::Restarted(server));
            }
            Action::Timeout(server) => {
                let server = usize::from(server);
                if self.servers[server].up {
                    self.start_election(server, true);
                } else {
                    self.event = (now, Event::Ignored("a stopped server has no running timer"));
                }
            }
            Action::Request => self.request(),
            Action::Drop(id) => match self.messages.iter().position(|message| message.id == id) {
                Some(at) => {
                    let message = self.messages.remove(at);
                    self.dropped += 1;
                    self.event = (now, Event::Dropped { id, from: message.from, to: message.to, what: message.body.describe() });
                }
                None => self.event = (now, Event::Ignored("that message is no longer in flight")),
            },
            Action::DropAll => {
                let count = self.messages.len();
                self.messages.clear();
                self.dropped += count as u32;
                self.event = (now, Event::DroppedAll(count));
            }
            Action::Partition(mask) => {
                let all = (1u8 << self.count()) - 1;
                let side = mask & all;
                if side == 0 || side == all || mask & !all != 0 {
                    self.event = (now, Event::Ignored("a split needs servers of this cluster on both sides"));
                    return;
                }
                self.partition = side;
                let before = self.messages.len();
                let partition = self.partition;
                self.messages.retain(|message| (partition >> message.from) & 1 == (partition >> message.to) & 1);
                self.dropped += (before - self.messages.len()) as u32;
                self.event = (now, Event::Partitioned(side));
            }
            Action::Heal => {
                self.partition = 0;
                self.event = (now, Event::Healed);
            }
        }
    }

    fn tick(&self) -> u64 {
        self.tick
    }

    /// The latest event for a while after it happens; then a summary of the state.
    fn narrate(&self) -> String {
        let (at, event) = self.event;
        if self.tick - at < NARRATE_TICKS || event == Event::Started {
            self.describe(event)
        } else {
            self.status()
        }
    }

    /// See `Action::encode`.
    fn encode_action(action: &Action) -> String {
        action.encode()
    }

    fn decode_action(text: &str) -> Option<Action> {
        Action::decode(text)
    }
}
