//! What the tool says: one sentence for the live region about what just happened (or, after a
//! quiet while, how things stand), and the numbers beside the stage.

use super::controls::{Acks, Action};
use super::{broker_name, consumer_name, partition_name, producer_name, Kafka, TICK_MS};

/// How long an event stays the narration, in ticks (1.5 simulated seconds).
pub(super) const NARRATE_TICKS: u64 = 150;

/// Something worth telling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Event {
    Started,
    Killed(u8),
    Detected { broker: u8, moved: u8, offline: u8 },
    Restarted { broker: u8, back_online: u8 },
    Rejoined { broker: u8, partition: u8 },
    /// Acknowledged writes a new leader lacks.
    Lost { partition: u8, count: u32 },
    /// `acks=0` records that reached no leader.
    LostUnsent { partition: u8, count: u32 },
    WrittenTwice { partition: u8, count: u32 },
    Deduplicated { partition: u8, producer: u8, count: u32 },
    NotEnoughReplicas { partition: u8 },
    AfterAppend { partition: u8 },
    Refused { producer: u8, partition: u8 },
    Expired { producer: u8, partition: u8, count: u32 },
    NewSession { producer: u8 },
    AckLost { producer: u8, partition: u8 },
    AckArmed,
    Joined(u8),
    Left(u8),
    Crashed { id: u8, again: u32 },
    Rebalanced { members: u8, idle: u8 },
    Set(Action),
    Ignored(&'static str),
}

impl Event {
    /// A failure, a failover, a loss, a rebalance or the reader's own doing, as against the
    /// routine consequences that follow (retries, refusals, copies dropped).
    pub(super) fn turning_point(self) -> bool {
        !matches!(
            self,
            Event::Rejoined { .. } | Event::LostUnsent { .. } | Event::WrittenTwice { .. } | Event::Deduplicated { .. } | Event::NotEnoughReplicas { .. } | Event::AfterAppend { .. } | Event::Refused { .. } | Event::Expired { .. } | Event::NewSession { .. }
        )
    }
}

pub use crate::sim::number::counted;

impl Kafka {
    pub(super) fn narration(&self) -> String {
        let (at, event) = self.event;
        if self.tick.saturating_sub(at) < NARRATE_TICKS {
            self.describe(event)
        } else {
            self.status()
        }
    }

    fn describe(&self, event: Event) -> String {
        let broker = |b: u8| broker_name(usize::from(b));
        let part = |p: u8| partition_name(usize::from(p));
        let producer = |p: u8| producer_name(usize::from(p));
        match event {
            Event::Started => format!(
                "{} brokers hold a topic of {} partitions, each copied {} times; two producers send keyed records with acks={}, and {} in a group read them.",
                self.brokers.len(),
                self.partitions.len(),
                self.config.replication,
                self.settings.acks.key(),
                counted(self.consumers.len() as u64, "consumer")
            ),
            Event::Killed(b) => format!("{} died. Requests to it are refused; until the controller notices, the partitions it leads take no writes.", broker(b)),
            Event::Detected { broker: b, moved, offline } => {
                let offline = match offline {
                    0 => String::new(),
                    1 => " 1 partition had no in-sync replica left and went offline (unclean leader election is off).".to_string(),
                    n => format!(" {n} partitions had no in-sync replica left and went offline (unclean leader election is off)."),
                };
                format!("The controller noticed {} is gone: it leaves the in-sync sets (but as a set's last member), and {} moved to in-sync followers.{offline}", broker(b), counted(u64::from(moved), "leadership"))
            }
            Event::Restarted { broker: b, back_online } if back_online > 0 => format!("{} is back with its disk; it leads {} again, which had been offline waiting for it.", broker(b), counted(u64::from(back_online), "partition")),
            Event::Restarted { broker: b, .. } => format!("{} is back with its disk: its replicas cut their logs back to where they match their leaders', then catch up before rejoining the in-sync sets.", broker(b)),
            Event::Rejoined { broker: b, partition } => format!("{} caught up with the leader of {} and is in sync again.", broker(b), part(partition)),
            Event::Lost { partition, count } => format!("{} of {} lost: the producer was told they were written, but the leader that had them died before any follower copied them.", counted(u64::from(count), "acknowledged record"), part(partition)),
            Event::LostUnsent { partition, count } => format!("{} for {} lost: sent with acks=0 to a broker that could not take them, and the producer never knew.", counted(u64::from(count), "record"), part(partition)),
            Event::WrittenTwice { partition, count } => format!("{} written twice to {}: the producer sent a batch again that was already in the log, and nothing told the broker it was a copy.", counted(u64::from(count), "record"), part(partition)),
            Event::Deduplicated { partition, producer: p, count } => format!("{} sent {} again to {}; the leader already held those sequence numbers from this producer id, so it answered without writing them twice.", producer(p), counted(u64::from(count), "record"), part(partition)),
            Event::NotEnoughReplicas { partition } => format!("{} refuses acks=all writes: its in-sync set is smaller than min.insync.replicas = {}. The producer retries.", part(partition), self.settings.min_insync),
            Event::AfterAppend { partition } => format!("{} appended a batch, but its in-sync set shrank below min.insync.replicas before the answer: reported failed though written, so the retry may write it twice.", part(partition)),
            Event::Refused { producer: p, partition } => format!("{}'s buffer for {} is full: new records are refused and the application is told.", producer(p), part(partition)),
            Event::Expired { producer: p, partition, count } => format!("{} gave up on {} for {} after the delivery timeout and told the application they failed.", producer(p), counted(u64::from(count), "record"), part(partition)),
            Event::NewSession { producer: p } => format!("{} starts a new session with producer id {}: sequence numbers start again, and a copy of an earlier session's record cannot be recognised.", producer(p), self.producers[usize::from(p)].pid),
            Event::AckLost { producer: p, partition } => format!("The acknowledgement to {} for {} was lost on the way: it will time out and send the batch again.", producer(p), part(partition)),
            Event::AckArmed => "No acknowledgement is on its way; the next one will be lost.".to_string(),
            Event::Joined(id) => format!("{} joins the group: a rebalance stops every member, which commits what it has processed, then the partitions are shared again.", consumer_name(id)),
            Event::Left(id) => format!("{} commits its offsets and leaves: a rebalance shares its partitions among the others.", consumer_name(id)),
            Event::Crashed { id, again } => format!("{} crashed without committing: after the rebalance, {} it had processed will be processed again. Exactly-once in Kafka does not reach side effects outside it.", consumer_name(id), counted(u64::from(again), "record")),
            Event::Rebalanced { members, idle } if idle > 0 => {
                let idle = if idle == 1 { "1 sits idle".to_string() } else { format!("{idle} sit idle") };
                format!("Rebalanced: {} the partitions by range; {idle}, as a partition has one reader in a group.", sharing(members))
            }
            Event::Rebalanced { members, .. } => format!("Rebalanced: {} the partitions by range and read on from the committed offsets.", sharing(members)),
            Event::Set(action) => self.describe_setting(action),
            Event::Ignored(why) => format!("Nothing happened: {why}."),
        }
    }

    fn describe_setting(&self, action: Action) -> String {
        let session = "the producers start new sessions";
        match action {
            Action::SetAcks(Acks::Zero) => format!("acks=0: the producers count a record written as soon as it is sent, and nothing is retried; {session}."),
            Action::SetAcks(Acks::Leader) => format!("acks=1: a write is acknowledged once the leader has it, before any follower does; {session}."),
            Action::SetAcks(Acks::All) => format!("acks=all: a write is acknowledged once every in-sync replica has it; {session}."),
            Action::SetIdempotence(true) if self.settings.acks != Acks::All => "Idempotence on, but Kafka runs it only with acks=all: with this acks the producers go without it.".to_string(),
            Action::SetIdempotence(true) => format!("Idempotent producers: the leaders drop batches they already hold from the same producer id; {session}."),
            Action::SetIdempotence(false) => format!("Idempotence off: a batch sent again after a lost answer is written again; {session}."),
            Action::SetMinInsync(count) => format!("min.insync.replicas = {count}: acks=all writes need an in-sync set of at least {count}."),
            Action::SetRate(rate) => format!("The producers now make {rate} records a second."),
            Action::SetSpeed(speed) => format!("Each consumer now processes {speed} records a second."),
            _ => String::new(),
        }
    }

    /// How things stand, for when nothing has happened for a while.
    fn status(&self) -> String {
        let seconds = (self.tick * TICK_MS) as f64 / 1000.0;
        let down: Vec<String> = (0..self.brokers.len()).filter(|b| !self.brokers[*b].up).map(broker_name).collect();
        let offline = self.partitions.iter().filter(|partition| partition.offline()).count() as u64;
        let mut trouble = String::new();
        if !down.is_empty() {
            trouble.push_str(&format!(" {} down.", down.join(", ")));
        }
        if offline > 0 {
            trouble.push_str(&format!(" {} offline.", counted(offline, "partition")));
        }
        let (written, read) = self.rates();
        format!("{seconds:.1} s:{trouble} {written:.0} records a second written, {read:.0} read; lag {}.", self.total_lag())
    }

    /// The numbers beside the stage, as label and value.
    pub fn stats(&self) -> Vec<(&'static str, String)> {
        let totals = &self.totals;
        let (written, read) = self.rates();
        vec![
            ("Written", format!("{written:.0} records/s")),
            ("Read", format!("{read:.0} records/s")),
            ("Lag (all partitions)", self.total_lag().to_string()),
            ("Acknowledged", totals.acknowledged.to_string()),
            ("Lost after an acknowledgement", totals.lost.to_string()),
            ("Written twice", totals.written_twice.to_string()),
            ("Copies dropped by idempotence", totals.deduplicated.to_string()),
            ("Processed again after a rebalance", totals.reprocessed.to_string()),
            ("Per-key order violations", totals.order_violations.to_string()),
            ("Failed, application told", (totals.refused + totals.expired).to_string()),
        ]
    }
}

/// "1 consumer takes" or "3 consumers share", for the rebalance narration.
fn sharing(members: u8) -> String {
    if members == 1 {
        "1 consumer takes all".to_string()
    } else {
        format!("{} share", counted(u64::from(members), "consumer"))
    }
}
