//! The clients: producers batching keyed records per partition and retrying, and the consumer
//! group fetching, processing and committing, with its rebalances.

use std::collections::VecDeque;
use std::ops::Range;

use super::narration::Event;
use super::{
    Acks, Batch, BatchState, Body, Consumer, Kafka, Owned, Place, Processed, Record, Reply, UnsafeWrite, COMMIT_EVERY_TICKS, DELIVERY_TIMEOUT_TICKS, FETCH_TIMEOUT_TICKS, KEYS, MAX_BATCH, MAX_CONSUMERS, MAX_READ,
    MAX_WAITING, PRODUCERS, REBALANCE_TICKS, REQUEST_TIMEOUT_TICKS, RETRY_BACKOFF_TICKS, TICK_MS,
};

/// Who sent a produce request, and how it wants it handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Request {
    pub producer: u8,
    pub pid: u32,
    pub attempt: u16,
    pub acks: Acks,
    pub idempotent: bool,
}

/// Kafka's `RangeAssignor` for one topic: the partitions `member` (0-based, in the members'
/// order) gets. Each member gets `partitions / members` in a run, the first
/// `partitions % members` one more; with more members than partitions the last get none.
pub fn range_assignment(partitions: usize, members: usize, member: usize) -> Range<usize> {
    if member >= members {
        return 0..0;
    }
    let (each, extra) = (partitions / members, partitions % members);
    let start = member * each + member.min(extra);
    start..start + each + usize::from(member < extra)
}

impl Consumer {
    pub(super) fn new(id: u8) -> Self {
        Self { id, owned: Vec::new(), credit: 0, cursor: 0, last: None }
    }
}

impl Kafka {
    pub(super) fn produce(&mut self) {
        self.arrivals();
        for producer in 0..PRODUCERS {
            for partition in 0..self.partitions.len() {
                self.drive_lane(producer, partition);
            }
        }
    }

    /// This tick's new records: Poisson at the produce rate, each from a producer and for a
    /// key picked at random.
    fn arrivals(&mut self) {
        let count = self.rng.poisson(f64::from(self.settings.rate) * TICK_MS as f64 / 1000.0);
        for _ in 0..count {
            let producer = self.rng.below(PRODUCERS as u64) as usize;
            let key = self.rng.below(KEYS as u64) as u8;
            let partition = self.partition_of_key(key);
            let made = &mut self.producers[producer].made_per_key[usize::from(key)];
            *made += 1;
            let record = Record { key, producer: producer as u8, n: *made, ..Record::default() };
            self.totals.produced += 1;
            let lane = &mut self.producers[producer].lanes[partition];
            if lane.held() >= MAX_WAITING {
                self.totals.refused += 1;
                self.tell(Event::Refused { producer: producer as u8, partition: partition as u8 });
            } else {
                lane.waiting.push_back(record);
            }
        }
    }

    /// One request in flight per partition: sends what waits, retries what failed or timed
    /// out, and gives up on a batch after the delivery timeout.
    fn drive_lane(&mut self, producer: usize, partition: usize) {
        let leader = self.partitions[partition].leader;
        if self.settings.acks == Acks::Zero {
            self.fire_and_forget(producer, partition, leader);
            return;
        }
        let now = self.tick;
        let lane = &mut self.producers[producer].lanes[partition];
        let due = match &lane.batch {
            None => !lane.waiting.is_empty(),
            Some(batch) => match batch.state {
                BatchState::Waiting { since } => now >= since + REQUEST_TIMEOUT_TICKS,
                BatchState::Backoff { until } => now >= until,
            },
        };
        if !due {
            return;
        }
        match lane.batch.take() {
            None => {
                if let Some(leader) = leader {
                    let records = self.next_records(producer, partition);
                    self.send_batch(producer, partition, Batch { records, attempt: 0, broker: leader, first_sent: now, state: BatchState::Waiting { since: now } });
                }
            }
            Some(batch) if now >= batch.first_sent + DELIVERY_TIMEOUT_TICKS => self.expire(producer, partition, batch),
            Some(mut batch) => match leader {
                Some(leader) => {
                    batch.attempt = batch.attempt.saturating_add(1);
                    batch.broker = leader;
                    self.totals.retries += 1;
                    self.send_batch(producer, partition, batch);
                }
                None => {
                    batch.state = BatchState::Backoff { until: now + RETRY_BACKOFF_TICKS };
                    self.producers[producer].lanes[partition].batch = Some(batch);
                }
            },
        }
    }

    /// Up to `MAX_BATCH` waiting records, numbered in this session's sequence.
    fn next_records(&mut self, producer: usize, partition: usize) -> Vec<Record> {
        let pid = self.producers[producer].pid;
        let lane = &mut self.producers[producer].lanes[partition];
        let count = lane.waiting.len().min(MAX_BATCH);
        let mut records = Vec::with_capacity(count);
        for record in lane.waiting.drain(..count) {
            records.push(Record { pid, seq: lane.next_seq, ..record });
            lane.next_seq = lane.next_seq.wrapping_add(1);
        }
        records
    }

    fn send_batch(&mut self, producer: usize, partition: usize, mut batch: Batch) {
        batch.state = BatchState::Waiting { since: self.tick };
        let body = Body::Produce { producer: producer as u8, pid: self.producers[producer].pid, attempt: batch.attempt, acks: self.settings.acks, idempotent: self.settings.idempotent(), records: batch.records.clone() };
        self.send(partition, Place::Producer(producer as u8), Place::Broker(batch.broker), body);
        self.producers[producer].lanes[partition].batch = Some(batch);
    }

    /// `acks=0`: what waits goes out every tick the partition has a leader, counted as written.
    fn fire_and_forget(&mut self, producer: usize, partition: usize, leader: Option<u8>) {
        let Some(leader) = leader.filter(|_| !self.producers[producer].lanes[partition].waiting.is_empty()) else { return };
        let records = self.next_records(producer, partition);
        self.totals.acknowledged += records.len() as u64;
        let body = Body::Produce { producer: producer as u8, pid: self.producers[producer].pid, attempt: 0, acks: Acks::Zero, idempotent: false, records };
        self.send(partition, Place::Producer(producer as u8), Place::Broker(leader), body);
    }

    /// A batch that found no success within the delivery timeout fails, and the application is
    /// told. An idempotent producer then starts a new session, as its sequence has a gap.
    fn expire(&mut self, producer: usize, partition: usize, batch: Batch) {
        self.totals.expired += batch.records.len() as u64;
        self.tell(Event::Expired { producer: producer as u8, partition: partition as u8, count: batch.records.len() as u32 });
        if self.settings.idempotent() {
            self.new_session(producer);
        }
    }

    /// The waiting request failed: send it again after the backoff.
    pub(super) fn back_off(&mut self, producer: usize, partition: usize) {
        let until = self.tick + RETRY_BACKOFF_TICKS;
        if let Some(batch) = self.producers[producer].lanes[partition].batch.as_mut() {
            batch.state = BatchState::Backoff { until };
        }
    }

    /// Whether `attempt` of session `pid` is the request `producer` is waiting on.
    fn awaited(&self, producer: usize, partition: usize, pid: u32, attempt: u16) -> bool {
        let current = &self.producers[producer];
        current.pid == pid && current.lanes[partition].batch.as_ref().is_some_and(|batch| batch.attempt == attempt && matches!(batch.state, BatchState::Waiting { .. }))
    }

    pub(super) fn retry_later(&mut self, producer: u8, partition: usize, pid: u32, attempt: u16) {
        if self.awaited(usize::from(producer), partition, pid, attempt) {
            self.back_off(usize::from(producer), partition);
        }
    }

    pub(super) fn handle_answer(&mut self, producer: u8, partition: usize, pid: u32, attempt: u16, reply: Reply) {
        let producer = usize::from(producer);
        if !self.awaited(producer, partition, pid, attempt) {
            return;
        }
        match reply {
            Reply::Ok { base, epoch } => {
                let Some(batch) = self.producers[producer].lanes[partition].batch.take() else { return };
                self.totals.acknowledged += batch.records.len() as u64;
                for (index, record) in batch.records.iter().enumerate() {
                    let written = Record { epoch, dup: false, ..*record };
                    self.partitions[partition].unsafe_writes.push(UnsafeWrite { offset: base + index as u64, record: written });
                    self.acknowledged_now.push((partition as u8, written));
                }
            }
            Reply::NotLeader | Reply::NotEnoughReplicas => self.back_off(producer, partition),
            Reply::NotEnoughReplicasAfterAppend => {
                self.back_off(producer, partition);
                self.tell(Event::AfterAppend { partition: partition as u8 });
            }
            Reply::Fenced | Reply::OutOfOrder => self.new_session(producer),
        }
    }

    /// Every producer restarts with the current settings (a changed `acks` or idempotence
    /// needs a new producer in Kafka).
    pub(super) fn new_sessions(&mut self) {
        for producer in 0..PRODUCERS {
            self.new_session(producer);
        }
    }

    /// A new producer id and sequence numbers from 0; the records of unanswered requests wait
    /// to be sent again under it.
    fn new_session(&mut self, producer: usize) {
        self.producers[producer].pid = self.next_pid;
        self.next_pid = self.next_pid.wrapping_add(1);
        for lane in &mut self.producers[producer].lanes {
            if let Some(batch) = lane.batch.take() {
                for record in batch.records.iter().rev() {
                    lane.waiting.push_front(Record { pid: 0, seq: 0, ..*record });
                }
            }
            lane.next_seq = 0;
        }
        self.tell(Event::NewSession { producer: producer as u8 });
    }

    pub(super) fn consume(&mut self) {
        if self.group.rebalance_until.is_some_and(|until| self.tick >= until) {
            self.group.rebalance_until = None;
            self.assign();
            let idle = self.consumers.iter().filter(|consumer| consumer.owned.is_empty()).count() as u8;
            self.tell(Event::Rebalanced { members: self.consumers.len() as u8, idle });
        }
        if self.rebalancing() {
            return;
        }
        for slot in 0..self.consumers.len() {
            self.poll(slot);
            self.process(slot);
        }
        if self.tick % COMMIT_EVERY_TICKS == 0 {
            self.commit_all();
        }
    }

    /// The range assignment, each partition read from its committed offset.
    pub(super) fn assign(&mut self) {
        let (partitions, members) = (self.partitions.len(), self.consumers.len());
        for (member, consumer) in self.consumers.iter_mut().enumerate() {
            consumer.owned = range_assignment(partitions, members, member).map(|partition| Owned { partition: partition as u8, fetched: self.group.committed[partition], buffer: VecDeque::new(), polling: None }).collect();
            consumer.cursor = 0;
        }
    }

    /// A fetch to each owned partition's leader, while there is room for what it brings.
    fn poll(&mut self, slot: usize) {
        let (id, generation, now) = (self.consumers[slot].id, self.group.generation, self.tick);
        for index in 0..self.consumers[slot].owned.len() {
            let owned = &mut self.consumers[slot].owned[index];
            if owned.polling.is_some_and(|sent| now >= sent + FETCH_TIMEOUT_TICKS) {
                owned.polling = None;
            }
            let partition = usize::from(owned.partition);
            let Some(leader) = self.partitions[partition].leader.filter(|_| owned.polling.is_none() && owned.buffer.len() < MAX_READ) else { continue };
            owned.polling = Some(now);
            let offset = owned.fetched;
            self.send(partition, Place::Consumer(id), Place::Broker(leader), Body::Poll { consumer: id, offset, generation });
        }
    }

    /// At most one record a tick, at the consumer's speed, its partitions in turn.
    fn process(&mut self, slot: usize) {
        let (speed, now) = (self.settings.speed, self.tick);
        let consumer = &mut self.consumers[slot];
        consumer.credit = (consumer.credit + speed * TICK_MS as u32).min(1000);
        let count = consumer.owned.len();
        if consumer.credit < 1000 || count == 0 {
            return;
        }
        let Some(index) = (0..count).map(|step| (consumer.cursor + step) % count).find(|index| !consumer.owned[*index].buffer.is_empty()) else { return };
        consumer.credit -= 1000;
        consumer.cursor = (index + 1) % count;
        let owned = &mut consumer.owned[index];
        let offset = owned.position();
        let Some(record) = owned.buffer.pop_front() else { return };
        let partition = owned.partition;
        consumer.last = Some(Processed { tick: now, partition, offset, record });
        self.account(usize::from(partition), offset, record);
    }

    /// Counts a processed record: again (after a rebalance), or first, in or out of order.
    fn account(&mut self, partition: usize, offset: u64, record: Record) {
        if offset < self.group.processed_to[partition] {
            self.totals.reprocessed += 1;
            return;
        }
        self.group.processed_to[partition] = offset + 1;
        self.totals.processed += 1;
        if record.dup {
            return;
        }
        let slot = usize::from(record.producer) * KEYS + usize::from(record.key);
        if record.n <= self.group.last_n[slot] {
            self.totals.order_violations += 1;
        } else {
            self.group.last_n[slot] = record.n;
        }
    }

    fn commit_all(&mut self) {
        for consumer in &self.consumers {
            for owned in &consumer.owned {
                self.group.committed[usize::from(owned.partition)] = owned.position();
            }
        }
    }

    pub(super) fn handle_read(&mut self, id: u8, partition: usize, offset: u64, generation: u32, records: Vec<Record>) {
        if generation != self.group.generation {
            return;
        }
        let Some(owned) = self.consumer_mut(id).and_then(|consumer| consumer.owned.iter_mut().find(|owned| usize::from(owned.partition) == partition)) else { return };
        owned.polling = None;
        if owned.fetched == offset {
            owned.fetched += records.len() as u64;
            owned.buffer.extend(records);
        }
    }

    pub(super) fn consumer_mut(&mut self, id: u8) -> Option<&mut Consumer> {
        self.consumers.iter_mut().find(|consumer| consumer.id == id)
    }

    pub(super) fn add_consumer(&mut self) {
        if self.consumers.len() >= MAX_CONSUMERS || self.group.next_id == u8::MAX {
            self.tell(Event::Ignored("the group already has as many consumers as it can"));
            return;
        }
        let id = self.group.next_id;
        self.group.next_id += 1;
        self.consumers.push(Consumer::new(id));
        self.start_rebalance();
        self.tell(Event::Joined(id));
    }

    /// A member leaves: cleanly (it commits first) or by crashing (its processing since the
    /// last commit will be done again by the partitions' next owners).
    pub(super) fn remove_consumer(&mut self, slot: usize, crash: bool) {
        let consumer = self.consumers.remove(slot);
        let mut again = 0;
        for owned in &consumer.owned {
            let partition = usize::from(owned.partition);
            if crash {
                again += owned.position().saturating_sub(self.group.committed[partition]);
            } else {
                self.group.committed[partition] = owned.position();
            }
        }
        self.start_rebalance();
        let event = if crash { Event::Crashed { id: consumer.id, again: again as u32 } } else { Event::Left(consumer.id) };
        self.tell(event);
    }

    /// An eager rebalance: the members still here commit and give up their partitions; the
    /// group is stopped until `REBALANCE_TICKS` from now.
    fn start_rebalance(&mut self) {
        self.commit_all();
        for consumer in &mut self.consumers {
            consumer.owned.clear();
            consumer.cursor = 0;
        }
        self.group.generation = self.group.generation.wrapping_add(1);
        self.group.rebalance_until = Some(self.tick + REBALANCE_TICKS);
        self.messages.retain(|message| !matches!(message.body, Body::Poll { .. } | Body::Read { .. }));
        self.parked.retain(|parked| matches!(parked.asker, super::Asker::Follower(_)));
    }
}
