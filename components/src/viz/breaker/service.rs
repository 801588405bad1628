//! A service's thread pool and waiting room, and the requests inside them.

use std::collections::VecDeque;

use super::machine::Ticket;

/// One request inside one service: waiting for a thread, doing its own work, or holding its
/// thread while it waits on the next service.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Job {
    pub id: u64,
    /// The caller's job in the service upstream; `None` at A, whose caller is a user.
    pub parent: Option<u64>,
    /// The tick it reached this service.
    pub arrived: u32,
    /// False once the caller gave up: the job runs on, but nobody hears its answer.
    pub caller_waiting: bool,
    /// A request A answers by itself, without calling B.
    pub local_only: bool,
    pub phase: Phase,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Phase {
    /// In the waiting room.
    Queued,
    /// Holding a thread for its own work until `until`. At C the answer is decided when the
    /// work starts: `fails` means it ends in an error.
    Working { until: u32, fails: bool },
    /// Holding a thread while the next service works on `call`; gives up at `deadline`.
    /// `ticket` is the breaker's, when the hop has one.
    Calling { call: u64, deadline: u32, ticket: Option<Ticket> },
}

/// A bounded pool of threads with a bounded waiting room in front of it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Pool {
    pub threads: u32,
    pub queue_limit: u32,
    /// Jobs holding a thread (never more than `threads`).
    pub running: Vec<Job>,
    /// Jobs waiting for a thread, oldest first (never more than `queue_limit`).
    pub queue: VecDeque<Job>,
}

impl Pool {
    pub fn new(threads: u32, queue_limit: u32) -> Self {
        Self { threads, queue_limit, running: Vec::new(), queue: VecDeque::new() }
    }

    pub fn has_free_thread(&self) -> bool {
        (self.running.len() as u32) < self.threads
    }

    pub fn has_room_to_wait(&self) -> bool {
        (self.queue.len() as u32) < self.queue_limit
    }

    pub fn position(&self, id: u64) -> Option<usize> {
        self.running.iter().position(|job| job.id == id)
    }

    pub fn job_mut(&mut self, id: u64) -> Option<&mut Job> {
        self.running.iter_mut().find(|job| job.id == id)
    }
}
