//! The brokers' side: appending produce requests, replication by fetching, the high-water
//! mark, the in-sync set, and the controller's elections when a broker dies or returns.

use super::clients::Request;
use super::narration::Event;
use super::{Acks, Asker, Body, Kafka, Parked, Partition, Place, Record, Reply, UnsafeWrite, WaitingAck, DETECT_TICKS, FETCH_TIMEOUT_TICKS, FETCH_WAIT_TICKS, KEYS, MAX_BROKERS, MAX_READ};

/// What an idempotent leader makes of a batch's producer id and sequence numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sequence {
    /// The next in line: append it.
    Fresh,
    /// Already in the log from `base`, appended in `epoch`: answer without writing it again.
    Duplicate { base: u64, epoch: u16 },
    Fenced,
    OutOfOrder,
}

impl Partition {
    /// Whether `record`, about to be appended to replica `at`, is one the log already holds.
    /// Records of a key come in order, so only a number not above the highest seen can be.
    fn holds_already(&mut self, at: usize, record: &Record) -> bool {
        let slot = usize::from(record.producer) * KEYS + usize::from(record.key);
        if record.n > self.seen[slot] {
            self.seen[slot] = record.n;
            return false;
        }
        self.logs[at].newest_first().any(|(_, held)| held.same_event(record))
    }

    /// The highest record numbers in the leader's log, read afresh after an election.
    fn recount_seen(&mut self) {
        let mut seen = [0u32; super::PRODUCERS * KEYS];
        for record in self.main_log().iter() {
            let slot = usize::from(record.producer) * KEYS + usize::from(record.key);
            seen[slot] = seen[slot].max(record.n);
        }
        self.seen = seen;
    }

    /// The idempotence check of a batch from `producer`'s session `pid`, sequence numbers
    /// `first` to `first + count - 1`, against the log of replica `at`.
    pub(super) fn check_sequence(&self, at: usize, producer: u8, pid: u32, first: u32, count: u32) -> Sequence {
        let log = &self.logs[at];
        let Some((_, last)) = log.newest_first().find(|(_, record)| record.producer == producer) else {
            return if first == 0 { Sequence::Fresh } else { Sequence::OutOfOrder };
        };
        if pid < last.pid {
            return Sequence::Fenced;
        }
        if pid > last.pid {
            return if first == 0 { Sequence::Fresh } else { Sequence::OutOfOrder };
        }
        if first.saturating_add(count.max(1) - 1) <= last.seq {
            return match log.newest_first().find(|(_, record)| record.producer == producer && record.pid == pid && record.seq == first) {
                Some((base, original)) => Sequence::Duplicate { base, epoch: original.epoch },
                None => Sequence::OutOfOrder,
            };
        }
        if first == last.seq.wrapping_add(1) {
            Sequence::Fresh
        } else {
            Sequence::OutOfOrder
        }
    }
}

impl Kafka {
    pub(super) fn kill(&mut self, broker: usize) {
        let id = broker as u8;
        self.brokers[broker].up = false;
        self.brokers[broker].failed_at = Some(self.tick);
        self.messages.retain(|message| message.from != Place::Broker(id));
        self.parked.retain(|parked| parked.broker != id);
        for partition in &mut self.partitions {
            partition.fetch_sent[broker] = None;
            if partition.leader == Some(id) {
                partition.waiting_acks.clear();
            }
        }
        // Producers waiting on it see their connection drop.
        for producer in 0..self.producers.len() {
            for partition in 0..self.partitions.len() {
                let waiting_on_it = self.producers[producer].lanes[partition].batch.as_ref().is_some_and(|batch| batch.broker == id && matches!(batch.state, super::BatchState::Waiting { .. }));
                if waiting_on_it {
                    self.back_off(producer, partition);
                }
            }
        }
        self.tell(Event::Killed(id));
    }

    pub(super) fn restart(&mut self, broker: usize) {
        let id = broker as u8;
        if self.brokers[broker].failed_at.is_some() {
            // The controller learns of the old incarnation's death as the new one registers.
            self.handle_failure(broker);
        }
        self.brokers[broker].up = true;
        let mut back_online = 0;
        for partition in 0..self.partitions.len() {
            let part = &self.partitions[partition];
            if part.index_of(id).is_none() {
                continue;
            }
            match part.leader {
                None if part.in_sync(id) => {
                    self.make_leader(partition, id);
                    back_online += 1;
                }
                Some(leader) => self.truncate_to_leader(partition, id, leader),
                None => {}
            }
        }
        self.tell(Event::Restarted { broker: id, back_online });
    }

    /// The controller notices brokers that died `DETECT_TICKS` ago.
    pub(super) fn detect_failures(&mut self) {
        for broker in 0..self.brokers.len() {
            if self.brokers[broker].failed_at.is_some_and(|at| self.tick >= at + DETECT_TICKS) {
                let (moved, offline) = self.handle_failure(broker);
                self.tell(Event::Detected { broker: broker as u8, moved, offline });
            }
        }
    }

    /// Out of every in-sync set but as a set's last member, and its leaderships moved: returns
    /// how many moved and how many partitions went offline.
    fn handle_failure(&mut self, broker: usize) -> (u8, u8) {
        let id = broker as u8;
        self.brokers[broker].failed_at = None;
        let (mut moved, mut offline) = (0, 0);
        for partition in 0..self.partitions.len() {
            let part = &mut self.partitions[partition];
            if part.in_sync(id) && part.isr_size() > 1 {
                part.isr &= !(1 << id);
            }
            if part.leader == Some(id) {
                match part.replicas.iter().copied().find(|replica| *replica != id && part.in_sync(*replica) && self.brokers[usize::from(*replica)].up) {
                    Some(next) => {
                        self.make_leader(partition, next);
                        moved += 1;
                    }
                    None => {
                        part.leader = None;
                        part.waiting_acks.clear();
                        offline += 1;
                    }
                }
            }
        }
        (moved, offline)
    }

    /// A new leader for `partition`: a new epoch; the live followers cut their logs back to
    /// where they match its log.
    fn make_leader(&mut self, partition: usize, leader: u8) {
        let part = &mut self.partitions[partition];
        part.leader = Some(leader);
        part.epoch = part.epoch.wrapping_add(1);
        part.known_end = [None; MAX_BROKERS];
        part.fetch_sent = [None; MAX_BROKERS];
        part.waiting_acks.clear();
        part.recount_seen();
        self.parked.retain(|parked| usize::from(parked.partition) != partition);
        let followers: Vec<u8> = part.replicas.iter().copied().filter(|replica| *replica != leader && self.brokers[usize::from(*replica)].up).collect();
        for follower in followers {
            self.truncate_to_leader(partition, follower, leader);
        }
    }

    fn truncate_to_leader(&mut self, partition: usize, follower: u8, leader: u8) {
        let part = &mut self.partitions[partition];
        let (Some(at), Some(from)) = (part.index_of(follower), part.index_of(leader)) else { return };
        let common = part.logs[at].common_prefix(&part.logs[from]);
        part.logs[at].truncate(common);
    }

    pub(super) fn handle_produce(&mut self, broker: u8, partition: usize, request: Request, records: &[Record]) {
        let part = &self.partitions[partition];
        let count = records.len() as u64;
        let answer = |kafka: &mut Kafka, reply: Reply| kafka.reply(partition, broker, request, reply);
        if part.leader != Some(broker) {
            if request.acks == Acks::Zero {
                self.totals.lost += count;
                self.tell(Event::LostUnsent { partition: partition as u8, count: count as u32 });
            } else {
                answer(self, Reply::NotLeader);
            }
            return;
        }
        if request.acks == Acks::All && part.isr_size() < usize::from(self.settings.min_insync) {
            self.tell(Event::NotEnoughReplicas { partition: partition as u8 });
            answer(self, Reply::NotEnoughReplicas);
            return;
        }
        let Some(at) = part.index_of(broker) else { return };
        let (base, epoch) = match records.first().filter(|_| request.idempotent) {
            None => self.append(partition, at, records),
            Some(first) => match part.check_sequence(at, request.producer, request.pid, first.seq, records.len() as u32) {
                Sequence::Fresh => self.append(partition, at, records),
                Sequence::Duplicate { base, epoch } => {
                    self.totals.deduplicated += count;
                    self.tell(Event::Deduplicated { partition: partition as u8, producer: request.producer, count: count as u32 });
                    (base, epoch)
                }
                Sequence::Fenced => return answer(self, Reply::Fenced),
                Sequence::OutOfOrder => return answer(self, Reply::OutOfOrder),
            },
        };
        match request.acks {
            Acks::Zero => {
                let part = &mut self.partitions[partition];
                for (index, record) in records.iter().enumerate() {
                    part.unsafe_writes.push(UnsafeWrite { offset: base + index as u64, record: Record { epoch, ..*record } });
                }
            }
            Acks::Leader => answer(self, Reply::Ok { base, epoch }),
            Acks::All => self.partitions[partition].waiting_acks.push(WaitingAck { producer: request.producer, pid: request.pid, attempt: request.attempt, base, end: base + count, epoch }),
        }
    }

    /// Appends to the leader's log; marks and counts what it already held.
    fn append(&mut self, partition: usize, at: usize, records: &[Record]) -> (u64, u16) {
        let part = &mut self.partitions[partition];
        let (base, epoch) = (part.logs[at].len(), part.epoch);
        let mut twice = 0;
        for record in records {
            let mut record = Record { epoch, dup: false, ..*record };
            record.dup = part.holds_already(at, &record);
            twice += u32::from(record.dup);
            part.logs[at].push(record);
        }
        if twice > 0 {
            self.totals.written_twice += u64::from(twice);
            self.tell(Event::WrittenTwice { partition: partition as u8, count: twice });
        }
        (base, epoch)
    }

    fn reply(&mut self, partition: usize, broker: u8, request: Request, reply: Reply) {
        if matches!(reply, Reply::Ok { .. }) && self.lose_next_ack {
            self.lose_next_ack = false;
            self.tell(Event::AckLost { producer: request.producer, partition: partition as u8 });
            return;
        }
        self.send(partition, Place::Broker(broker), Place::Producer(request.producer), Body::Answer { producer: request.producer, pid: request.pid, attempt: request.attempt, reply });
    }

    /// Loses the acknowledgement on its way now, or else the next one sent.
    pub(super) fn lose_ack(&mut self) {
        let on_its_way = self.messages.iter().position(|message| matches!(message.body, Body::Answer { reply: Reply::Ok { .. }, .. }));
        match on_its_way {
            Some(at) => {
                let message = self.messages.remove(at);
                if let Body::Answer { producer, .. } = message.body {
                    self.tell(Event::AckLost { producer, partition: message.partition });
                }
            }
            None if self.settings.acks == Acks::Zero => self.tell(Event::Ignored("with acks=0 the brokers send no acknowledgements")),
            None => {
                self.lose_next_ack = true;
                self.tell(Event::AckArmed);
            }
        }
    }

    pub(super) fn handle_fetch(&mut self, broker: u8, partition: usize, follower: u8, offset: u64, epoch: u16) {
        let part = &mut self.partitions[partition];
        if part.leader != Some(broker) || part.epoch != epoch {
            part.fetch_sent[usize::from(follower)] = None;
            return;
        }
        part.known_end[usize::from(follower)] = Some(offset);
        self.park(broker, partition, offset, Asker::Follower(follower));
    }

    pub(super) fn park(&mut self, broker: u8, partition: usize, offset: u64, asker: Asker) {
        let part = &self.partitions[partition];
        if part.leader == Some(broker) {
            self.parked.push(Parked { partition: partition as u8, broker, epoch: part.epoch, since: self.tick, offset, asker });
        }
    }

    /// Leaders answer the fetches they hold once there is something new, or the wait is over.
    pub(super) fn answer_parked(&mut self) {
        let mut index = 0;
        while index < self.parked.len() {
            let parked = self.parked[index];
            let part = &self.partitions[usize::from(parked.partition)];
            if part.leader != Some(parked.broker) || part.epoch != parked.epoch {
                self.parked.remove(index);
                continue;
            }
            let log = part.main_log();
            let until = match parked.asker {
                Asker::Follower(_) => log.len(),
                Asker::Consumer { .. } => part.hw.min(parked.offset + MAX_READ as u64),
            };
            if until <= parked.offset && self.tick < parked.since + FETCH_WAIT_TICKS {
                index += 1;
                continue;
            }
            let records = log.range(parked.offset, until);
            let (partition, from) = (usize::from(parked.partition), Place::Broker(parked.broker));
            let body = match parked.asker {
                Asker::Follower(follower) => (Place::Broker(follower), Body::Copy { offset: parked.offset, epoch: parked.epoch, records }),
                Asker::Consumer { id, generation } => (Place::Consumer(id), Body::Read { consumer: id, offset: parked.offset, generation, records }),
            };
            self.send(partition, from, body.0, body.1);
            self.parked.remove(index);
        }
    }

    pub(super) fn handle_copy(&mut self, follower: u8, partition: usize, offset: u64, epoch: u16, records: &[Record]) {
        let part = &mut self.partitions[partition];
        part.fetch_sent[usize::from(follower)] = None;
        let Some(at) = part.index_of(follower) else { return };
        if part.epoch == epoch && part.leader.is_some_and(|leader| leader != follower) && part.logs[at].len() == offset {
            for record in records {
                part.logs[at].push(*record);
            }
        }
    }

    /// Each leader: followers that caught up rejoin the in-sync set, the high-water mark moves
    /// to the lowest log end in the set, and `acks=all` requests below it are answered.
    pub(super) fn advance_high_watermarks(&mut self) {
        for partition in 0..self.partitions.len() {
            let Some(leader) = self.partitions[partition].leader.filter(|leader| self.brokers[usize::from(*leader)].up) else { continue };
            let part = &mut self.partitions[partition];
            let end = part.log_of(leader).map_or(0, |log| log.len());
            part.known_end[usize::from(leader)] = Some(end);
            let mut rejoined = None;
            for at in 0..part.replicas.len() {
                let replica = part.replicas[at];
                let broker = self.brokers[usize::from(replica)];
                if !part.in_sync(replica) && broker.up && broker.failed_at.is_none() && part.known_end[usize::from(replica)].is_some_and(|known| known >= part.hw) {
                    part.isr |= 1 << replica;
                    rejoined = Some(replica);
                }
            }
            let lowest = part.replicas.iter().filter(|replica| part.in_sync(**replica)).map(|replica| part.known_end[usize::from(*replica)].unwrap_or(0)).min().unwrap_or(end);
            part.hw = part.hw.max(lowest.min(end));
            let (hw, in_sync) = (part.hw, part.isr_size());
            let (done, waiting): (Vec<WaitingAck>, Vec<WaitingAck>) = part.waiting_acks.iter().partition(|waiting| waiting.end <= hw);
            part.waiting_acks = waiting;
            for ack in done {
                let reply = if in_sync < usize::from(self.settings.min_insync) { Reply::NotEnoughReplicasAfterAppend } else { Reply::Ok { base: ack.base, epoch: ack.epoch } };
                self.reply(partition, leader, Request { producer: ack.producer, pid: ack.pid, attempt: ack.attempt, acks: Acks::All, idempotent: false }, reply);
            }
            if let Some(broker) = rejoined {
                self.tell(Event::Rejoined { broker, partition: partition as u8 });
            }
        }
    }

    /// Every live follower keeps one fetch going to its leader.
    pub(super) fn follower_fetches(&mut self) {
        for partition in 0..self.partitions.len() {
            let Some(leader) = self.partitions[partition].leader else { continue };
            let epoch = self.partitions[partition].epoch;
            for at in 0..self.partitions[partition].replicas.len() {
                let part = &mut self.partitions[partition];
                let follower = part.replicas[at];
                if follower == leader || !self.brokers[usize::from(follower)].up {
                    continue;
                }
                let slot = &mut part.fetch_sent[usize::from(follower)];
                if slot.is_some_and(|sent| self.tick >= sent + FETCH_TIMEOUT_TICKS) {
                    *slot = None;
                }
                if slot.is_none() {
                    *slot = Some(self.tick);
                    let offset = part.logs[at].len();
                    self.send(partition, Place::Broker(follower), Place::Broker(leader), Body::Fetch { follower, offset, epoch });
                }
            }
        }
    }

    /// Writes counted as done are forgotten once below the high-water mark, and counted lost
    /// once a later leader lacks them.
    pub(super) fn settle_unsafe_writes(&mut self) {
        for partition in 0..self.partitions.len() {
            let part = &mut self.partitions[partition];
            if part.unsafe_writes.is_empty() {
                continue;
            }
            if part.offline() {
                continue;
            }
            let mut writes = std::mem::take(&mut part.unsafe_writes);
            let log = part.main_log();
            let (hw, epoch) = (part.hw, part.epoch);
            let mut lost = 0;
            writes.retain(|write| {
                let held = log.get(write.offset).is_some_and(|record| record.same_write(&write.record));
                if !held && epoch != write.record.epoch {
                    lost += 1;
                }
                held && write.offset >= hw || !held && epoch == write.record.epoch
            });
            self.partitions[partition].unsafe_writes = writes;
            if lost > 0 {
                self.totals.lost += lost;
                self.tell(Event::Lost { partition: partition as u8, count: lost as u32 });
            }
        }
    }
}
