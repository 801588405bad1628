//! Kafka partitions and consumer groups: two producers send keyed records to one topic whose
//! partitions are replicated over 3 to 5 brokers; followers copy their leader's log; a consumer
//! group reads the partitions, each partition by one consumer. The reader kills and restarts
//! brokers, loses an acknowledgement, adds, removes and crashes consumers, and turns `acks`,
//! `min.insync.replicas`, idempotence, the produce rate and the consumers' speed while it runs.
//! Every rule named here is Kafka's as the documentation at kafka.apache.org/documentation
//! describes it (Design: Replication, Producer Configs, Broker and Topic Configs, Consumer
//! Configs), simplified where said.
//!
//! For the view: drive it with `Timeline<Kafka>` (parameters `KAFKA_PARAMS`, actions `Action`,
//! `KAFKA_TICKS_PER_SECOND`, `KAFKA_LIMIT`); draw `stage::stage`; show `stats()` (label and
//! value as text, for `stat_rows`); chart `series()` (`Metric::Written`, `Read`, `Lag`, `Lost`,
//! `WrittenTwice`, `Reprocessed`, a sample every `SAMPLE_TICKS`); read `settings()` to set the
//! live controls, `brokers()`, `partitions()` (leader, in-sync set, high-water mark, logs),
//! `consumers()` and `group()` (assignments, committed offsets, `lag(p)`), `totals()`.
//! Changing a structural parameter (`brokers`, `partitions`, `rf`, `consumers`) starts a new
//! run; the live controls should act through `Action::Set…` so the run goes on.
//!
//! **Time.** A tick is 10 simulated ms; the app plays `KAFKA_TICKS_PER_SECOND` = 20 ticks a
//! second at 1×, a fifth of real time. A network hop takes `HOP_TICKS` (50 ms, slow for a data
//! centre, so a record can be followed). Kafka's timeouts are shortened in proportion so that a
//! failure plays out in seconds; each constant names the real default it stands for.
//!
//! **Keys and partitions.** The keys are 16 users, `user-A` to `user-P`, drawn as their letter.
//! A record goes to partition `toPositive(murmur2(key bytes)) % partitions`, Kafka's default
//! partitioner for keyed records (see `hash`), so every record of a key lands in one partition,
//! and some partitions get more keys than others (with 8 partitions two get none).
//!
//! **Replication** (Design: Replication). Partition `p`'s replicas sit on brokers `p`, `p+1`,
//! … (mod the broker count), the first the preferred leader. Followers fetch from the leader:
//! a fetch says how far the follower's log goes, the leader holds it until it has newer records
//! or `FETCH_WAIT_TICKS` pass (250 ms, standing for `replica.fetch.wait.max.ms`, 500 ms), then answers with them.
//! The high-water mark is the lowest log end among the in-sync replicas as the leader knows
//! them; consumers read only below it. A replica out of the in-sync set rejoins once its log
//! reaches the high-water mark.
//!
//! **Failure** (the controller, not drawn). A killed broker keeps its disk; messages it had
//! sent are lost, and a request sent to it is refused when it arrives (the sender retries). The
//! controller notices `DETECT_TICKS` later (`broker.session.timeout.ms`, 9 s): it takes the
//! broker out of every in-sync set (except a set's last member) and moves each leadership it
//! held to the first live in-sync replica. With none, the partition goes offline:
//! `unclean.leader.election.enable` is false by default, so a replica that was not in sync never
//! leads. A restarted broker's replicas cut their logs back to where they match their leader's
//! (what Kafka's leader epochs do), then catch up; an offline partition whose last in-sync
//! replica returns is led by it again. A broker restarted before the controller noticed its
//! death has that death handled as it registers again. Leadership is not moved back to the
//! preferred replica.
//!
//! **Producing** (Producer Configs). Each producer keeps, per partition, a buffer of at most
//! `MAX_WAITING` records (`buffer.memory`; a record that finds it full is refused and the
//! application told, where Kafka's `send()` would first block for `max.block.ms`) and one
//! request in flight (as with `max.in.flight.requests.per.connection=1`), carrying everything
//! waiting, up to `MAX_BATCH`.
//! With one request in flight, a retry cannot overtake a later batch, so order per key holds in
//! every mode; Kafka's default of 5 keeps order only with idempotence, and this model does not
//! show that reordering. `acks=0` sends without waiting. `acks=1` is answered once the leader
//! appends. `acks=all` is refused when the in-sync set is smaller than `min.insync.replicas`
//! (NOT_ENOUGH_REPLICAS), otherwise answered once the high-water mark passes the batch, with
//! NOT_ENOUGH_REPLICAS_AFTER_APPEND if the set has shrunk meanwhile (the batch is in the log,
//! yet reported failed). Unanswered requests time out after `REQUEST_TIMEOUT_TICKS`
//! (`request.timeout.ms`, 30 s); failed ones are retried after `RETRY_BACKOFF_TICKS`
//! (`retry.backoff.ms`, 100 ms), until `DELIVERY_TIMEOUT_TICKS` (`delivery.timeout.ms`, 120 s)
//! after the first send, when the batch fails and the application is told.
//!
//! **Idempotence and exactly-once.** An idempotent producer has a producer id and numbers its
//! records per partition; the leader appends a batch only if it follows the last sequence it
//! holds from that id, answers a batch it already holds as a success without writing it again,
//! and refuses one from an older session of the same producer (as Kafka fences an older
//! producer epoch). That removes the duplicates retries would write: no record is written
//! twice per partition within one producer session. It needs `acks=all`. Changing a producer setting
//! starts a new session (a new producer, a new id); records still unanswered are sent again
//! under it, and the broker cannot tell those from new ones, so a duplicate across sessions is
//! possible. A batch that times out for good also starts a new session (as KIP-360's epoch bump
//! resets the sequence). Kafka's transactions (not modelled) go further: writes to several
//! partitions and the consumer's offsets commit atomically, and `read_committed` consumers see
//! only committed writes. Neither covers effects outside Kafka: a consumer that processes
//! records (sends an e-mail, writes a database) and crashes before committing its offsets
//! processes them again after the rebalance, as `CrashConsumer` shows.
//!
//! **Consuming** (Consumer Configs, the classic group protocol). Partitions are shared with
//! Kafka's range assignor, the first in the default `partition.assignment.strategy`: members in
//! order, each a run of `partitions / members` partitions and the first `partitions % members`
//! one more; members beyond the partition count sit idle. A change of members starts an eager
//! rebalance: every member stops, commits what it has processed (a crashed one cannot), and
//! `REBALANCE_TICKS` later the partitions are assigned afresh and read from the committed
//! offsets. A crash is noticed at once here (Kafka waits `session.timeout.ms`, 45 s). Each
//! consumer fetches up to `MAX_READ` records per partition, processes `speed` a second, and
//! commits its processed offsets every `COMMIT_EVERY_TICKS` (`auto.commit.interval.ms`, 5 s).
//! Lag is the high-water mark minus the committed offset.
//!
//! **Counted.** Lost: records the producer was told were written (or sent, with `acks=0`) that
//! no leader will ever serve. Written twice: records a leader appended while already holding
//! them. Processed again: records a consumer processed after another had (a rebalance).
//! Per-key order violations: a record processed for the first time after a later record of its
//! key from the same producer; the design keeps it at 0.

use std::collections::VecDeque;

use crate::sim::series::Sampled;
use crate::sim::{Params, SimRng, Simulation};

mod clients;
mod cluster;
mod controls;
pub mod hash;
mod log;
mod narration;
pub mod poster;
pub mod stage;
#[cfg(test)]
mod tests;

pub use clients::range_assignment;
pub use controls::{Acks, Action, Config, Settings, KAFKA_PARAMS};
pub use log::{Log, Record};
use narration::Event;

pub const MIN_BROKERS: usize = 3;
pub const MAX_BROKERS: usize = 5;
pub const MAX_PARTITIONS: usize = 8;
pub const MAX_REPLICATION: usize = 3;
pub const MAX_CONSUMERS: usize = 8;
pub const PRODUCERS: usize = 2;
pub const KEYS: usize = 16;
/// The most records a second the producers make, and a consumer processes (one a tick).
pub const MAX_RATE: u32 = 100;
pub const MAX_SPEED: u32 = 100;
/// Simulated milliseconds per tick.
pub const TICK_MS: u64 = 10;
/// Ticks the app plays per second at 1×: a fifth of real time.
pub const KAFKA_TICKS_PER_SECOND: f64 = 20.0;
/// Two simulated minutes (ten at 1×). With the logs' frozen chunks shared between keyframes,
/// a run at the highest rate keeps a few megabytes.
pub const KAFKA_LIMIT: u64 = 12_000;
/// One network hop.
pub const HOP_TICKS: u64 = 5;
/// How long a leader holds a fetch with nothing new: 250 ms here, standing for
/// `replica.fetch.wait.max.ms` and `fetch.max.wait.ms` (500 ms by default), halved so a
/// follower's next fetch is visible within about a second of play at 1×.
pub const FETCH_WAIT_TICKS: u64 = 25;
/// A fetch unanswered this long is given up and sent again.
pub const FETCH_TIMEOUT_TICKS: u64 = FETCH_WAIT_TICKS + 2 * HOP_TICKS + 5;
/// `request.timeout.ms` (30 s): a produce request unanswered this long is retried.
pub const REQUEST_TIMEOUT_TICKS: u64 = 100;
/// `retry.backoff.ms` (100 ms).
pub const RETRY_BACKOFF_TICKS: u64 = 10;
/// `delivery.timeout.ms` (120 s): a batch unacknowledged this long after its first send fails.
pub const DELIVERY_TIMEOUT_TICKS: u64 = 600;
/// How long the controller takes to notice a dead broker (`broker.session.timeout.ms`, 9 s).
pub const DETECT_TICKS: u64 = 60;
/// How long a rebalance stops the group.
pub const REBALANCE_TICKS: u64 = 60;
/// `auto.commit.interval.ms` (5 s).
pub const COMMIT_EVERY_TICKS: u64 = 100;
/// Records in one produce request.
pub const MAX_BATCH: usize = 16;
/// Records a producer holds for one partition, sent or not (`buffer.memory`).
pub const MAX_WAITING: usize = 48;
/// Records a consumer fetches at once, and holds per partition.
pub const MAX_READ: usize = 20;
/// One sample for the charts every half simulated second.
pub const SAMPLE_TICKS: u64 = 50;
pub const MAX_SAMPLES: usize = (KAFKA_LIMIT / SAMPLE_TICKS) as usize + 1;

/// A broker's name as drawn and told: B1 to B5.
pub fn broker_name(broker: usize) -> String {
    format!("B{}", broker + 1)
}

/// A producer's name: P1, P2.
pub fn producer_name(producer: usize) -> String {
    format!("P{}", producer + 1)
}

/// A consumer's name from its id: C1, C2, … (ids are never reused).
pub fn consumer_name(id: u8) -> String {
    format!("C{}", u32::from(id) + 1)
}

/// A partition's name: p0 to p7, numbered from 0 as Kafka numbers them.
pub fn partition_name(partition: usize) -> String {
    format!("p{partition}")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Broker {
    pub up: bool,
    /// When it died, while the controller has not yet noticed.
    failed_at: Option<u64>,
}

/// An `acks=all` request appended and waiting for the high-water mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct WaitingAck {
    producer: u8,
    pid: u32,
    attempt: u16,
    base: u64,
    end: u64,
    epoch: u16,
}

/// A write the producer counts as done that is not yet below the high-water mark: if a new
/// leader lacks it, it is lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct UnsafeWrite {
    offset: u64,
    record: Record,
}

/// One partition: its replicas (broker ids, the preferred leader first) and their logs.
#[derive(Debug, Clone, PartialEq)]
pub struct Partition {
    pub replicas: Vec<u8>,
    /// One per replica, in the same order.
    pub logs: Vec<Log>,
    /// `None` when offline.
    pub leader: Option<u8>,
    pub epoch: u16,
    /// The in-sync replicas, a bit per broker.
    pub isr: u8,
    pub hw: u64,
    /// Each replica's log end as the leader last heard it (`None` since the last election).
    known_end: [Option<u64>; MAX_BROKERS],
    /// When each follower's fetch in flight was sent.
    fetch_sent: [Option<u64>; MAX_BROKERS],
    waiting_acks: Vec<WaitingAck>,
    unsafe_writes: Vec<UnsafeWrite>,
    /// The highest record number per (producer, key) in the leader's log, to mark duplicates.
    seen: [u32; PRODUCERS * KEYS],
}

impl Partition {
    pub fn in_sync(&self, broker: u8) -> bool {
        self.isr & (1 << broker) != 0
    }

    pub fn isr_size(&self) -> usize {
        self.isr.count_ones() as usize
    }

    fn index_of(&self, broker: u8) -> Option<usize> {
        self.replicas.iter().position(|replica| *replica == broker)
    }

    pub fn log_of(&self, broker: u8) -> Option<&Log> {
        self.index_of(broker).map(|at| &self.logs[at])
    }

    /// The log this partition is read from: its leader's, or while offline its last in-sync
    /// replica's (which holds everything below the high-water mark).
    pub fn main_log(&self) -> &Log {
        let broker = self.leader.or_else(|| self.replicas.iter().copied().find(|replica| self.in_sync(*replica)));
        broker.and_then(|broker| self.log_of(broker)).unwrap_or(&self.logs[0])
    }

    pub fn offline(&self) -> bool {
        self.leader.is_none()
    }
}

/// Where a message starts or ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Producer(u8),
    Broker(u8),
    /// A consumer, by id.
    Consumer(u8),
}

/// A broker's answer to a produce request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    /// Written (or already held, for an idempotent producer), from `base`, in leader epoch `epoch`.
    Ok { base: u64, epoch: u16 },
    NotLeader,
    NotEnoughReplicas,
    NotEnoughReplicasAfterAppend,
    /// An older session of this producer: fenced off.
    Fenced,
    /// Not the sequence number the leader expects from this producer.
    OutOfOrder,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    Produce { producer: u8, pid: u32, attempt: u16, acks: Acks, idempotent: bool, records: Vec<Record> },
    Answer { producer: u8, pid: u32, attempt: u16, reply: Reply },
    /// A follower asks for records from `offset` (its log end).
    Fetch { follower: u8, offset: u64, epoch: u16 },
    /// The leader's answer to a fetch.
    Copy { offset: u64, epoch: u16, records: Vec<Record> },
    /// A consumer asks for records from `offset`.
    Poll { consumer: u8, offset: u64, generation: u32 },
    Read { consumer: u8, offset: u64, generation: u32, records: Vec<Record> },
}

/// A message in flight. Ids count up in sending order.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub id: u32,
    pub partition: u8,
    pub from: Place,
    pub to: Place,
    pub sent: u64,
    pub arrives: u64,
    pub body: Body,
}

/// A fetch a leader holds until there is something to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Parked {
    partition: u8,
    broker: u8,
    epoch: u16,
    since: u64,
    offset: u64,
    asker: Asker,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asker {
    Follower(u8),
    Consumer { id: u8, generation: u32 },
}

/// A producer request being sent, waiting or retried.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    pub records: Vec<Record>,
    /// 0 for the first send.
    pub attempt: u16,
    /// The broker it was last sent to.
    pub broker: u8,
    first_sent: u64,
    pub state: BatchState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchState {
    Waiting { since: u64 },
    Backoff { until: u64 },
}

/// What a producer holds for one partition.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Lane {
    /// Made, not yet in a request.
    pub waiting: VecDeque<Record>,
    next_seq: u32,
    pub batch: Option<Batch>,
}

impl Lane {
    /// Records held: waiting and in the request.
    pub fn held(&self) -> usize {
        self.waiting.len() + self.batch.as_ref().map_or(0, |batch| batch.records.len())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Producer {
    /// The producer id of the current session.
    pub pid: u32,
    /// One per partition.
    pub lanes: Vec<Lane>,
    made_per_key: [u32; KEYS],
}

/// A partition a consumer owns, and how far it has got.
#[derive(Debug, Clone, PartialEq)]
pub struct Owned {
    pub partition: u8,
    /// The next offset to fetch.
    pub fetched: u64,
    /// Fetched, not yet processed, oldest first.
    pub buffer: VecDeque<Record>,
    polling: Option<u64>,
}

impl Owned {
    /// The next offset to process: what the consumer commits.
    pub fn position(&self) -> u64 {
        self.fetched - self.buffer.len() as u64
    }
}

/// The record a consumer processed last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Processed {
    pub tick: u64,
    pub partition: u8,
    pub offset: u64,
    pub record: Record,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Consumer {
    pub id: u8,
    /// Its partitions (none while the group rebalances, or when it is idle).
    pub owned: Vec<Owned>,
    /// Thousandths of a record it may process now.
    credit: u32,
    cursor: usize,
    pub last: Option<Processed>,
}

/// The consumer group as its coordinator keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Bumped at every rebalance; answers to an older generation are ignored.
    pub generation: u32,
    /// When the rebalance under way ends.
    pub rebalance_until: Option<u64>,
    /// The committed offset per partition.
    pub committed: Vec<u64>,
    /// Per partition, one past the highest offset any member has processed.
    processed_to: Vec<u64>,
    /// The highest record number processed per (producer, key).
    last_n: [u32; PRODUCERS * KEYS],
    next_id: u8,
}

/// Counts since the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    pub produced: u64,
    /// Records the producers were told are written (with `acks=0`: sent).
    pub acknowledged: u64,
    /// Refused by a full producer buffer.
    pub refused: u64,
    /// Failed after `delivery.timeout.ms`.
    pub expired: u64,
    /// Produce requests sent again.
    pub retries: u64,
    pub lost: u64,
    pub written_twice: u64,
    /// Records an idempotent leader recognised and did not write again.
    pub deduplicated: u64,
    /// Records processed for the first time.
    pub processed: u64,
    pub reprocessed: u64,
    pub order_violations: u64,
}

/// The charts' sample: totals and rates at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Sample {
    pub tick: u64,
    /// Records below the high-water marks, summed over partitions.
    pub written: u64,
    pub processed: u64,
    /// Per second over the last simulated second.
    pub written_rate: f64,
    pub read_rate: f64,
    pub lag: u64,
    pub lost: u64,
    pub written_twice: u64,
    pub reprocessed: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    Written,
    Read,
    Lag,
    Lost,
    WrittenTwice,
    Reprocessed,
}

impl Sampled for Sample {
    type Metric = Metric;
    fn time_seconds(&self) -> f64 {
        (self.tick * TICK_MS) as f64 / 1000.0
    }
    fn value(&self, metric: Metric) -> f64 {
        match metric {
            Metric::Written => self.written_rate,
            Metric::Read => self.read_rate,
            Metric::Lag => self.lag as f64,
            Metric::Lost => self.lost as f64,
            Metric::WrittenTwice => self.written_twice as f64,
            Metric::Reprocessed => self.reprocessed as f64,
        }
    }
}

pub type Series = crate::sim::series::Series<Sample, MAX_SAMPLES>;

#[derive(Debug, Clone, PartialEq)]
pub struct Kafka {
    config: Config,
    settings: Settings,
    tick: u64,
    /// Arrivals and their keys: the only randomness.
    rng: SimRng,
    brokers: Vec<Broker>,
    partitions: Vec<Partition>,
    key_partition: [u8; KEYS],
    producers: Vec<Producer>,
    next_pid: u32,
    consumers: Vec<Consumer>,
    group: Group,
    /// In id order, which is sending order and, every hop being as long, arrival order.
    messages: Vec<Message>,
    next_message: u32,
    parked: Vec<Parked>,
    lose_next_ack: bool,
    totals: Totals,
    /// Records acknowledged to a producer during the last step.
    acknowledged_now: Vec<(u8, Record)>,
    series: Series,
    /// The latest event worth telling, and when.
    event: (u64, Event),
}

impl Kafka {
    fn build(params: &Params, seed: u64) -> Self {
        let config = Config::from_params(params);
        let brokers = vec![Broker { up: true, failed_at: None }; config.brokers];
        let partitions = (0..config.partitions).map(|partition| new_partition(partition, config.brokers, config.replication)).collect();
        let mut key_partition = [0u8; KEYS];
        for (key, slot) in key_partition.iter_mut().enumerate() {
            *slot = hash::partition_for(hash::key_name(key as u8).as_bytes(), config.partitions) as u8;
        }
        let producers = (0..PRODUCERS).map(|producer| Producer { pid: producer as u32, lanes: vec![Lane::default(); config.partitions], made_per_key: [0; KEYS] }).collect();
        let group = Group {
            generation: 0,
            rebalance_until: None,
            committed: vec![0; config.partitions],
            processed_to: vec![0; config.partitions],
            last_n: [0; PRODUCERS * KEYS],
            next_id: config.consumers as u8,
        };
        let consumers = (0..config.consumers as u8).map(Consumer::new).collect();
        let mut kafka = Self {
            config,
            settings: config.start,
            tick: 0,
            rng: SimRng::new(seed),
            brokers,
            partitions,
            key_partition,
            producers,
            next_pid: PRODUCERS as u32,
            consumers,
            group,
            messages: Vec::new(),
            next_message: 0,
            parked: Vec::new(),
            lose_next_ack: false,
            totals: Totals::default(),
            acknowledged_now: Vec::new(),
            series: Series::default(),
            event: (0, Event::Started),
        };
        kafka.assign();
        kafka
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn brokers(&self) -> &[Broker] {
        &self.brokers
    }

    pub fn partitions(&self) -> &[Partition] {
        &self.partitions
    }

    /// The partition each key's records go to.
    pub fn partition_of_key(&self, key: u8) -> usize {
        usize::from(self.key_partition[usize::from(key) % KEYS])
    }

    pub fn producers(&self) -> &[Producer] {
        &self.producers
    }

    /// The group's members, in join order (the range assignor's order).
    pub fn consumers(&self) -> &[Consumer] {
        &self.consumers
    }

    pub fn group(&self) -> &Group {
        &self.group
    }

    pub fn messages(&self) -> &[Message] {
        &self.messages
    }

    pub fn totals(&self) -> &Totals {
        &self.totals
    }

    pub fn series(&self) -> &Series {
        &self.series
    }

    /// Records acknowledged to a producer in the last step, with their partition.
    pub fn acknowledged_now(&self) -> &[(u8, Record)] {
        &self.acknowledged_now
    }

    pub fn rebalancing(&self) -> bool {
        self.group.rebalance_until.is_some()
    }

    /// The consumer (by its place in the group) that owns `partition`, if any.
    pub fn owner(&self, partition: usize) -> Option<usize> {
        self.consumers.iter().position(|consumer| consumer.owned.iter().any(|owned| usize::from(owned.partition) == partition))
    }

    /// High-water mark minus committed offset.
    pub fn lag(&self, partition: usize) -> u64 {
        let (Some(part), Some(committed)) = (self.partitions.get(partition), self.group.committed.get(partition)) else { return 0 };
        part.hw.saturating_sub(*committed)
    }

    pub fn total_lag(&self) -> u64 {
        (0..self.partitions.len()).map(|partition| self.lag(partition)).sum()
    }

    /// How far along its hop a message is, 0 to 1.
    pub fn progress(&self, message: &Message) -> f32 {
        let span = message.arrives.saturating_sub(message.sent).max(1);
        (self.tick.saturating_sub(message.sent) as f32 / span as f32).clamp(0.0, 1.0)
    }

    /// Records a second made durable (below a high-water mark) and processed, over the last
    /// simulated second.
    pub fn rates(&self) -> (f64, f64) {
        self.series.last().map_or((0.0, 0.0), |sample| (sample.written_rate, sample.read_rate))
    }

    fn send(&mut self, partition: usize, from: Place, to: Place, body: Body) {
        let id = self.next_message;
        self.next_message = self.next_message.wrapping_add(1);
        self.messages.push(Message { id, partition: partition as u8, from, to, sent: self.tick, arrives: self.tick + HOP_TICKS, body });
    }

    /// Tells `event`; a routine one (a retry, a refusal) does not hide a turn of events told a
    /// moment ago.
    fn tell(&mut self, event: Event) {
        let (at, told) = self.event;
        if event.turning_point() || !told.turning_point() || self.tick.saturating_sub(at) >= narration::NARRATE_TICKS {
            self.event = (self.tick, event);
        }
    }

    fn deliver_due(&mut self) {
        let now = self.tick;
        if !self.messages.iter().any(|message| message.arrives <= now) {
            return;
        }
        let (due, waiting): (Vec<Message>, Vec<Message>) = std::mem::take(&mut self.messages).into_iter().partition(|message| message.arrives <= now);
        self.messages = waiting;
        for message in due {
            self.receive(message);
        }
    }

    fn receive(&mut self, message: Message) {
        let partition = usize::from(message.partition);
        match (message.to, message.body) {
            (Place::Broker(broker), body) if !self.brokers[usize::from(broker)].up => self.refused(partition, body),
            (Place::Broker(broker), Body::Produce { producer, pid, attempt, acks, idempotent, records }) => self.handle_produce(broker, partition, clients::Request { producer, pid, attempt, acks, idempotent }, &records),
            (Place::Broker(broker), Body::Fetch { follower, offset, epoch }) => self.handle_fetch(broker, partition, follower, offset, epoch),
            (Place::Broker(broker), Body::Poll { consumer, offset, generation }) => self.park(broker, partition, offset, Asker::Consumer { id: consumer, generation }),
            (Place::Broker(follower), Body::Copy { offset, epoch, records }) => self.handle_copy(follower, partition, offset, epoch, &records),
            (Place::Producer(producer), Body::Answer { pid, attempt, reply, .. }) => self.handle_answer(producer, partition, pid, attempt, reply),
            (Place::Consumer(id), Body::Read { offset, generation, records, .. }) => self.handle_read(id, partition, offset, generation, records),
            _ => {}
        }
    }

    /// A request reaching a dead broker: the connection is refused, and the sender learns it.
    fn refused(&mut self, partition: usize, body: Body) {
        match body {
            Body::Produce { acks: Acks::Zero, records, .. } => {
                self.totals.lost += records.len() as u64;
                self.tell(Event::LostUnsent { partition: partition as u8, count: records.len() as u32 });
            }
            Body::Produce { producer, pid, attempt, .. } => self.retry_later(producer, partition, pid, attempt),
            Body::Fetch { follower, .. } => self.partitions[partition].fetch_sent[usize::from(follower)] = None,
            Body::Poll { consumer, generation, .. } if generation == self.group.generation => {
                if let Some(owned) = self.consumer_mut(consumer).and_then(|consumer| consumer.owned.iter_mut().find(|owned| usize::from(owned.partition) == partition)) {
                    owned.polling = None;
                }
            }
            _ => {}
        }
    }

    fn valid_broker(&self, broker: u8) -> Option<usize> {
        Some(usize::from(broker)).filter(|broker| *broker < self.brokers.len())
    }

    fn valid_consumer(&self, slot: u8) -> Option<usize> {
        Some(usize::from(slot)).filter(|slot| *slot < self.consumers.len())
    }

    /// One sample every `SAMPLE_TICKS`; its rates over the last simulated second.
    fn sample(&mut self) {
        if self.tick % SAMPLE_TICKS != 0 {
            return;
        }
        let written: u64 = self.partitions.iter().map(|partition| partition.hw).sum();
        let processed = self.totals.processed;
        let per_second = (1000 / TICK_MS / SAMPLE_TICKS) as usize;
        let (then, seconds) = match self.series.recent(per_second).next() {
            Some(old) if self.series.len() >= per_second => (*old, 1.0),
            _ => (Sample::default(), (self.tick * TICK_MS) as f64 / 1000.0),
        };
        let rate = |now: u64, before: u64| now.saturating_sub(before) as f64 / seconds;
        let sample = Sample {
            tick: self.tick,
            written,
            processed,
            written_rate: rate(written, then.written),
            read_rate: rate(processed, then.processed),
            lag: self.total_lag(),
            lost: self.totals.lost,
            written_twice: self.totals.written_twice,
            reprocessed: self.totals.reprocessed,
        };
        self.series.push(sample);
    }
}

fn new_partition(partition: usize, brokers: usize, replication: usize) -> Partition {
    let replicas: Vec<u8> = (0..replication.max(1)).map(|step| ((partition + step) % brokers) as u8).collect();
    let isr = replicas.iter().fold(0u8, |mask, broker| mask | 1 << broker);
    Partition {
        leader: Some(replicas[0]),
        logs: vec![Log::default(); replicas.len()],
        replicas,
        epoch: 0,
        isr,
        hw: 0,
        known_end: [None; MAX_BROKERS],
        fetch_sent: [None; MAX_BROKERS],
        waiting_acks: Vec::new(),
        unsafe_writes: Vec::new(),
        seen: [0; PRODUCERS * KEYS],
    }
}

impl Simulation for Kafka {
    type Action = Action;

    fn new(params: &Params, seed: u64) -> Self {
        Self::build(params, seed)
    }

    /// One tick: the controller, the network, the leaders' duties, the followers' fetches,
    /// the producers, the consumers, then the bookkeeping.
    fn step(&mut self) {
        self.tick += 1;
        self.acknowledged_now.clear();
        self.detect_failures();
        self.deliver_due();
        self.answer_parked();
        self.advance_high_watermarks();
        self.follower_fetches();
        self.produce();
        self.consume();
        self.settle_unsafe_writes();
        self.sample();
    }

    fn apply(&mut self, action: &Action) {
        match *action {
            Action::Kill(broker) => match self.valid_broker(broker) {
                Some(broker) if self.brokers[broker].up => self.kill(broker),
                Some(_) => self.tell(Event::Ignored("that broker is already down")),
                None => self.tell(Event::Ignored("there is no such broker")),
            },
            Action::Restart(broker) => match self.valid_broker(broker) {
                Some(broker) if !self.brokers[broker].up => self.restart(broker),
                Some(_) => self.tell(Event::Ignored("that broker is running")),
                None => self.tell(Event::Ignored("there is no such broker")),
            },
            Action::AddConsumer => self.add_consumer(),
            Action::RemoveConsumer(slot) | Action::CrashConsumer(slot) => match self.valid_consumer(slot) {
                Some(slot) => self.remove_consumer(slot, matches!(action, Action::CrashConsumer(_))),
                None => self.tell(Event::Ignored("there is no such consumer")),
            },
            Action::LoseAck => self.lose_ack(),
            Action::SetAcks(acks) => {
                self.settings.acks = acks;
                self.new_sessions();
                self.tell(Event::Set(*action));
            }
            Action::SetIdempotence(on) => {
                self.settings.idempotence = on;
                self.new_sessions();
                self.tell(Event::Set(*action));
            }
            Action::SetMinInsync(count) => {
                self.settings.min_insync = count.clamp(1, MAX_REPLICATION as u8);
                self.tell(Event::Set(*action));
            }
            Action::SetRate(rate) => {
                self.settings.rate = rate.min(MAX_RATE);
                self.tell(Event::Set(*action));
            }
            Action::SetSpeed(speed) => {
                self.settings.speed = speed.clamp(1, MAX_SPEED);
                self.tell(Event::Set(*action));
            }
        }
    }

    fn tick(&self) -> u64 {
        self.tick
    }

    fn narrate(&self) -> String {
        self.narration()
    }

    /// See `Action::encode`.
    fn encode_action(action: &Action) -> String {
        action.encode()
    }

    fn decode_action(text: &str) -> Option<Action> {
        Action::decode(text)
    }
}
