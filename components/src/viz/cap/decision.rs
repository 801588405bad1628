//! The decision helper beside the visualizer: a few questions about a workload, a pure function
//! from the answers to a PACELC class, and real systems that made each choice (with the reason
//! in a sentence and the year where the fact can age).

/// What a system gives up during a partition (P: CP or AP) and, else, in normal operation (E:
/// latency or consistency).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PacelcClass {
    /// Refuses the cut-off side; pays round trips for consistency in normal operation.
    PcEc,
    /// Refuses the cut-off side; answers fast from a nearby copy in normal operation.
    PcEl,
    /// Keeps every side answering; still waits for replicas in normal operation.
    PaEc,
    /// Keeps every side answering and answers fast; replicas catch up later.
    PaEl,
}

impl PacelcClass {
    pub const ALL: [PacelcClass; 4] = [PacelcClass::PcEc, PacelcClass::PcEl, PacelcClass::PaEc, PacelcClass::PaEl];

    /// `PC/EC` and so on.
    pub fn label(self) -> &'static str {
        match self {
            PacelcClass::PcEc => "PC/EC",
            PacelcClass::PcEl => "PC/EL",
            PacelcClass::PaEc => "PA/EC",
            PacelcClass::PaEl => "PA/EL",
        }
    }

    /// The CAP half alone: `CP` or `AP`.
    pub fn cap_label(self) -> &'static str {
        if self.refuses_during_partition() {
            "CP"
        } else {
            "AP"
        }
    }

    pub fn refuses_during_partition(self) -> bool {
        matches!(self, PacelcClass::PcEc | PacelcClass::PcEl)
    }

    pub fn waits_for_replicas_normally(self) -> bool {
        matches!(self, PacelcClass::PcEc | PacelcClass::PaEc)
    }

    /// One sentence on what the class means for the reader's workload.
    pub fn summary(self) -> &'static str {
        match self {
            PacelcClass::PcEc => "Consistent always: a side cut off from the majority returns errors, and every write waits for a quorum even when the network is healthy.",
            PacelcClass::PcEl => "Consistent during partitions, fast otherwise: a record's home copy takes its writes and other copies catch up in the background, so nearby reads can be a little old.",
            PacelcClass::PaEc => "Waits for replicas while the network is healthy, but keeps both sides of a partition answering and merges them afterwards.",
            PacelcClass::PaEl => "Always answers and answers fast: any replica takes reads and writes, copies catch up later, and conflicting writes are merged or one is dropped.",
        }
    }
}

/// A question the helper asks; answered yes, no or left open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Question {
    /// Stable id, usable in a URL.
    pub id: &'static str,
    pub text: &'static str,
    /// Why the answer matters, shown under the question.
    pub why: &'static str,
}

/// Index of each question in [`QUESTIONS`] (and in the answers slice).
pub const MUST_READ_LATEST: usize = 0;
pub const MAY_REFUSE_IN_PARTITION: usize = 1;
pub const MULTI_REGION_WRITES: usize = 2;
pub const CAN_MERGE_CONFLICTS: usize = 3;
pub const LATENCY_OVER_FRESHNESS: usize = 4;

pub const QUESTIONS: &[Question] = &[
    Question {
        id: "latest",
        text: "Must every read see the most recent acknowledged write, wherever it was made?",
        why: "Examples: a bank balance, a lock, a unique username. This is linearizability, and a replica cut off from the others cannot promise it.",
    },
    Question {
        id: "refuse",
        text: "During a network partition, may the cut-off side refuse requests rather than answer with data that may be old or conflicting?",
        why: "This is the CAP choice itself: errors on one side (CP) or answers on both sides that may disagree (AP).",
    },
    Question {
        id: "regions",
        text: "Do users in several regions need to write with local, low latency?",
        why: "A write every region must agree on needs a cross-region round trip, tens to hundreds of milliseconds.",
    },
    Question {
        id: "merge",
        text: "If the same item is written on both sides of a partition, can the application merge the two, or live with one overwriting the other?",
        why: "A shopping cart can take the union; an account balance cannot simply keep the later write.",
    },
    Question {
        id: "latency",
        text: "With the network healthy, is answering a round trip sooner worth reading slightly old data now and then?",
        why: "This is the PACELC 'else' choice: wait for replicas (consistency) or answer from the nearest copy (latency).",
    },
];

/// A real system and the choice it made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RealSystem {
    pub name: &'static str,
    pub class: PacelcClass,
    /// Why it sits in its class, in a sentence.
    pub reason: &'static str,
    /// The year the statement was checked against, where behaviour or defaults can change.
    pub as_of: Option<u16>,
}

pub const SYSTEMS: &[RealSystem] = &[
    RealSystem {
        name: "Google Spanner",
        class: PacelcClass::PcEc,
        reason: "Each shard is replicated with Paxos and a commit waits out TrueTime's clock uncertainty, so reads are externally consistent; replicas cut off from their Paxos majority cannot take writes (Brewer, 2017: 'technically CP').",
        as_of: Some(2017),
    },
    RealSystem {
        name: "etcd",
        class: PacelcClass::PcEc,
        reason: "Raft commits a write only once a majority of members hold it, and reads are linearizable by default; members on the minority side of a partition cannot commit.",
        as_of: Some(2024),
    },
    RealSystem {
        name: "Apache ZooKeeper",
        class: PacelcClass::PcEc,
        reason: "Every write needs a quorum of the ensemble; servers cut off from the quorum stop serving clients unless the optional read-only mode is turned on. Reads from a follower can lag unless the client calls sync first.",
        as_of: Some(2024),
    },
    RealSystem {
        name: "Apache HBase",
        class: PacelcClass::PcEc,
        reason: "Each region is served by exactly one RegionServer; if that server is cut off, the region is unavailable until the master reassigns it, rather than being answered from another copy.",
        as_of: Some(2024),
    },
    RealSystem {
        name: "CockroachDB",
        class: PacelcClass::PcEc,
        reason: "Each range is a Raft group and transactions are serializable by default; a range whose replicas lose their majority stops serving.",
        as_of: Some(2024),
    },
    RealSystem {
        name: "Yahoo PNUTS",
        class: PacelcClass::PcEl,
        reason: "Each record has a master region that orders its writes and replicates them asynchronously, so local reads are fast but may be behind; if the master is unreachable, writes to its records wait (Abadi's PC/EL example, 2012).",
        as_of: Some(2012),
    },
    RealSystem {
        name: "Hazelcast (maps)",
        class: PacelcClass::PaEc,
        reason: "Each key has one primary copy with synchronous backups, so a healthy cluster reads the latest value; in a split brain both halves keep accepting writes and are merged when they rejoin (Abadi, 2017).",
        as_of: Some(2017),
    },
    RealSystem {
        name: "Apache Cassandra",
        class: PacelcClass::PaEl,
        reason: "Consistency is chosen per request; at the common level ONE any live replica answers, replicas catch up by hints and repair, and conflicting cells are settled by last-writer-wins timestamps.",
        as_of: Some(2024),
    },
    RealSystem {
        name: "Amazon DynamoDB",
        class: PacelcClass::PaEl,
        reason: "Reads are eventually consistent unless a request asks for a strongly consistent read, and global tables replicate between regions in the background and settle conflicts by last writer wins; since 2025 a global table can instead be created with multi-Region strong consistency.",
        as_of: Some(2025),
    },
    RealSystem {
        name: "Riak KV",
        class: PacelcClass::PaEl,
        reason: "Sloppy quorums and hinted handoff keep writes flowing through a partition; concurrent writes are kept as siblings, tracked by (dotted) version vectors, for the application to merge.",
        as_of: Some(2014),
    },
    RealSystem {
        name: "Apache CouchDB",
        class: PacelcClass::PaEl,
        reason: "Every copy accepts writes, even offline, and replicates later; conflicting revisions are all kept, one is shown as a deterministic winner, and the application resolves the rest.",
        as_of: Some(2024),
    },
];

/// Every listed system in one class.
pub fn systems_in(class: PacelcClass) -> impl Iterator<Item = &'static RealSystem> {
    SYSTEMS.iter().filter(move |system| system.class == class)
}

/// How to settle writes made on both sides of a partition (AP only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConflictHandling {
    /// Keep concurrent writes as siblings (version vectors) or use a mergeable type (CRDT).
    KeepSiblings,
    /// Last writer wins: simple, but one of two concurrent writes is silently lost.
    LastWriterWins,
}

/// What the helper suggests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recommendation {
    pub class: PacelcClass,
    /// One line per answer that drove the choice, in question order.
    pub reasons: Vec<&'static str>,
    /// Answers that pull against each other, explained.
    pub tensions: Vec<&'static str>,
    /// For AP classes: how to settle conflicting writes.
    pub conflicts: Option<ConflictHandling>,
    /// False while too few questions are answered to decide; the class is then a cautious default.
    pub settled: bool,
}

impl Recommendation {
    /// The systems that made the same choice.
    pub fn systems(&self) -> impl Iterator<Item = &'static RealSystem> {
        systems_in(self.class)
    }
}

/// Turns answers into a recommendation. `answers[i]` answers `QUESTIONS[i]`: `Some(true)` yes,
/// `Some(false)` no, `None` (or missing) not answered.
pub fn recommend(answers: &[Option<bool>]) -> Recommendation {
    let answer = |index: usize| answers.get(index).copied().flatten();
    let latest = answer(MUST_READ_LATEST);
    let refuse = answer(MAY_REFUSE_IN_PARTITION);
    let regions = answer(MULTI_REGION_WRITES);
    let merge = answer(CAN_MERGE_CONFLICTS);
    let latency = answer(LATENCY_OVER_FRESHNESS);
    let mut reasons = Vec::new();
    let mut tensions = Vec::new();

    // The partition half: any answer that rules out diverging sides forces CP.
    let consistent_in_partition = if latest == Some(true) || refuse == Some(true) || merge == Some(false) {
        if latest == Some(true) {
            reasons.push("Reads must see the latest write, so a side that cannot reach a majority has to refuse.");
        }
        if refuse == Some(true) {
            reasons.push("Refusing on the cut-off side is acceptable, so the data never diverges.");
        }
        if merge == Some(false) {
            reasons.push("Conflicting writes cannot be merged, so only one side may accept writes during a partition.");
        }
        if refuse == Some(false) {
            tensions.push("You want both sides to keep answering, but other answers need one history: during a partition one side must refuse or its answers may be wrong.");
        }
        true
    } else if refuse == Some(false) || regions == Some(true) || merge == Some(true) {
        if refuse == Some(false) {
            reasons.push("Both sides must keep answering during a partition, so they may diverge for a while.");
        }
        if merge == Some(true) {
            reasons.push("Conflicting writes can be merged or overwritten, so accepting writes on both sides is safe.");
        }
        false
    } else {
        true
    };

    // The else half: waiting for replicas in normal operation, or answering from one copy.
    let consistent_normally = if latest == Some(true) {
        if regions == Some(true) {
            tensions.push("Low-latency writes in every region and reads that always see the latest write pull apart: each write has to reach a majority across regions first, as Spanner's commit wait does.");
        }
        if latency == Some(true) {
            tensions.push("Fast answers from the nearest copy can return old data, which the latest-read requirement rules out.");
        }
        true
    } else if latency == Some(true) || regions == Some(true) {
        if latency == Some(true) {
            reasons.push("A round trip saved matters more than a slightly old read, so answer from the nearest copy.");
        }
        if regions == Some(true) {
            reasons.push("Writes must be fast in every region, so replicas are updated in the background.");
        }
        false
    } else if latency == Some(false) {
        reasons.push("Fresh reads matter more than a round trip, so writes wait for replicas.");
        true
    } else {
        consistent_in_partition
    };

    let class = match (consistent_in_partition, consistent_normally) {
        (true, true) => PacelcClass::PcEc,
        (true, false) => PacelcClass::PcEl,
        (false, true) => PacelcClass::PaEc,
        (false, false) => PacelcClass::PaEl,
    };
    let conflicts = (!consistent_in_partition).then_some(if merge == Some(true) { ConflictHandling::KeepSiblings } else { ConflictHandling::LastWriterWins });
    let settled = latest.is_some() || refuse.is_some() || merge.is_some();
    if !settled {
        reasons.push("Not enough answers yet: without a reason to diverge, the safe default is to stay consistent.");
    }
    Recommendation { class, reasons, tensions, conflicts, settled }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(pairs: &[(usize, bool)]) -> Vec<Option<bool>> {
        let mut all = vec![None; QUESTIONS.len()];
        for (index, value) in pairs {
            all[*index] = Some(*value);
        }
        all
    }

    #[test]
    fn a_bank_balance_is_pc_ec() {
        let recommendation = recommend(&answers(&[(MUST_READ_LATEST, true), (MAY_REFUSE_IN_PARTITION, true), (CAN_MERGE_CONFLICTS, false)]));
        assert_eq!(recommendation.class, PacelcClass::PcEc);
        assert_eq!(recommendation.class.cap_label(), "CP");
        assert!(recommendation.settled);
        assert!(recommendation.tensions.is_empty());
        assert_eq!(recommendation.conflicts, None);
        let names: Vec<&str> = recommendation.systems().map(|system| system.name).collect();
        assert!(names.contains(&"etcd") && names.contains(&"Google Spanner"), "{names:?}");
    }

    #[test]
    fn a_shopping_cart_is_pa_el_and_keeps_siblings() {
        let recommendation = recommend(&answers(&[
            (MUST_READ_LATEST, false),
            (MAY_REFUSE_IN_PARTITION, false),
            (MULTI_REGION_WRITES, true),
            (CAN_MERGE_CONFLICTS, true),
        ]));
        assert_eq!(recommendation.class, PacelcClass::PaEl);
        assert_eq!(recommendation.conflicts, Some(ConflictHandling::KeepSiblings));
        assert!(recommendation.systems().any(|system| system.name == "Riak KV"));
    }

    #[test]
    fn refusing_but_wanting_speed_is_pc_el() {
        let recommendation = recommend(&answers(&[(MAY_REFUSE_IN_PARTITION, true), (LATENCY_OVER_FRESHNESS, true)]));
        assert_eq!(recommendation.class, PacelcClass::PcEl);
        assert!(recommendation.systems().any(|system| system.name == "Yahoo PNUTS"));
    }

    #[test]
    fn available_but_fresh_when_healthy_is_pa_ec_with_last_writer_wins() {
        let recommendation = recommend(&answers(&[(MAY_REFUSE_IN_PARTITION, false), (LATENCY_OVER_FRESHNESS, false)]));
        assert_eq!(recommendation.class, PacelcClass::PaEc);
        assert_eq!(recommendation.conflicts, Some(ConflictHandling::LastWriterWins));
    }

    #[test]
    fn contradictory_answers_pick_consistency_and_say_why() {
        let recommendation = recommend(&answers(&[(MUST_READ_LATEST, true), (MAY_REFUSE_IN_PARTITION, false), (MULTI_REGION_WRITES, true)]));
        assert_eq!(recommendation.class, PacelcClass::PcEc);
        assert_eq!(recommendation.tensions.len(), 2, "{:?}", recommendation.tensions);
    }

    #[test]
    fn no_answers_is_a_cautious_unsettled_default() {
        for empty in [Vec::new(), answers(&[])] {
            let recommendation = recommend(&empty);
            assert_eq!(recommendation.class, PacelcClass::PcEc);
            assert!(!recommendation.settled);
        }
        // Only the latency question answered: still unsettled on the partition half.
        let recommendation = recommend(&answers(&[(LATENCY_OVER_FRESHNESS, true)]));
        assert_eq!(recommendation.class, PacelcClass::PcEl);
        assert!(!recommendation.settled);
    }

    #[test]
    fn extra_answers_are_ignored() {
        let mut long = answers(&[(MAY_REFUSE_IN_PARTITION, false)]);
        long.extend([Some(true); 20]);
        assert_eq!(recommend(&long).class, recommend(&long[..QUESTIONS.len()]).class);
    }

    #[test]
    fn every_class_has_a_real_example_and_every_entry_is_filled_in() {
        for class in PacelcClass::ALL {
            assert!(systems_in(class).count() >= 1, "{}", class.label());
        }
        for system in SYSTEMS {
            assert!(!system.name.is_empty() && system.reason.len() > 40 && system.reason.ends_with('.'), "{}", system.name);
        }
        let mut ids: Vec<&str> = QUESTIONS.iter().map(|question| question.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), QUESTIONS.len());
    }
}
