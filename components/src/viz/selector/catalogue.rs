//! The kinds of data store the selector ranks, each with well-known examples, its prior, the
//! trade-off it always brings, the requirements it cannot meet and the pattern pages that
//! explain it. Product facts are checked against the vendors' documentation (see the Sources of
//! `content/visualizers/database-selector.md`, 2026); where the examples of a kind differ, the
//! sentence names which one it means.

use super::Answer;

/// A kind of data store, in catalogue order: general-purpose stores first, since ties go to the
/// earlier one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Store {
    Relational,
    DistributedSql,
    Document,
    WideColumn,
    KeyValue,
    InMemory,
    TimeSeries,
    Search,
    Graph,
    Columnar,
    Vector,
}

impl Store {
    pub const ALL: [Store; 11] = [
        Store::Relational,
        Store::DistributedSql,
        Store::Document,
        Store::WideColumn,
        Store::KeyValue,
        Store::InMemory,
        Store::TimeSeries,
        Store::Search,
        Store::Graph,
        Store::Columnar,
        Store::Vector,
    ];

    pub fn candidate(self) -> &'static Candidate {
        &CATALOGUE[self as usize]
    }
}

/// What the page says about one kind of store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub store: Store,
    pub name: &'static str,
    /// A shorter name for a narrow drawing.
    pub short: &'static str,
    /// Well-known products of this kind, best known first.
    pub examples: &'static [&'static str],
    /// Where it starts before any answer counts (see the module documentation).
    pub prior: i32,
    /// The cost it always brings, in a sentence or two.
    pub trade_off: &'static str,
    /// Requirements (see [`Answer::is_requirement`]) it cannot meet, and why.
    pub cannot: &'static [(Answer, &'static str)],
    /// Pattern pages that explain it: `(slug, title)`, linked as `/patterns/<slug>/`.
    pub patterns: &'static [(&'static str, &'static str)],
}

const MODELS: (&str, &str) = ("database-models", "Database models");
const TRANSACTIONS: (&str, &str) = ("database-transactions", "Database transactions");
const SHARDING: (&str, &str) = ("database-sharding", "Database sharding");
const POSTGRES: (&str, &str) = ("postgresql-ecosystem", "PostgreSQL ecosystem");
const STRUCTURES: (&str, &str) = ("database-data-structures", "Database data structures");
const CDC: (&str, &str) = ("change-data-capture", "Change data capture");

/// Every kind, in [`Store::ALL`] order.
pub const CATALOGUE: [Candidate; 11] = [
    Candidate {
        store: Store::Relational,
        name: "Relational database",
        short: "Relational",
        examples: &["PostgreSQL", "MySQL"],
        // The general-purpose default: any query, transactions, one machine to run, and the
        // easiest store to move away from once the real access patterns are known.
        prior: 2,
        trade_off: "One primary takes every write, so outgrowing a single machine means sharding by hand or moving to distributed SQL, and every schema change is a migration.",
        cannot: &[],
        patterns: &[MODELS, TRANSACTIONS, ("sql-query-optimization", "SQL query optimization"), POSTGRES],
    },
    Candidate {
        store: Store::DistributedSql,
        name: "Distributed SQL",
        short: "Distributed SQL",
        examples: &["CockroachDB", "Spanner", "YugabyteDB"],
        prior: 1,
        trade_off: "Each write waits for a consensus round trip, longer when replicas sit in other regions, contended transactions are retried, and the cluster costs more to run than one PostgreSQL server.",
        cannot: &[],
        patterns: &[TRANSACTIONS, SHARDING, ("system-design-tradeoffs", "System design trade-offs")],
    },
    Candidate {
        store: Store::Document,
        name: "Document database",
        short: "Document",
        examples: &["MongoDB"],
        prior: 1,
        trade_off: "Data that many documents share is copied into each or joined by the application, and a multi-document transaction costs more than a single-document write.",
        cannot: &[],
        patterns: &[MODELS, SHARDING],
    },
    Candidate {
        store: Store::WideColumn,
        name: "Wide-column store",
        short: "Wide-column",
        examples: &["Cassandra", "ScyllaDB", "Bigtable"],
        prior: 0,
        trade_off: "Each table is designed around the one query its partition key serves, so a new question needs a new table, and a hot partition caps throughput.",
        cannot: &[(
            Answer::Transactions,
            "there is no isolated transaction across partitions. A logged batch eventually applies all its writes, but readers can see it half done; conditional writes (lightweight transactions) stay within one partition, and Bigtable's transactions within one row.",
        )],
        patterns: &[("discord-storage-evolution", "Discord's message storage"), STRUCTURES, SHARDING],
    },
    Candidate {
        store: Store::KeyValue,
        name: "Managed key-value store",
        short: "Managed key-value",
        examples: &["DynamoDB"],
        prior: 0,
        trade_off: "Every access pattern must be designed into keys and indexes up front; a question you did not plan for is a full scan, and the data lives in one cloud.",
        cannot: &[(Answer::SelfHosted, "DynamoDB exists only as an AWS service; its downloadable version is meant for development and testing.")],
        patterns: &[SHARDING, ("cloud-service-comparison", "Cloud services compared")],
    },
    Candidate {
        store: Store::InMemory,
        name: "In-memory key-value store",
        short: "In-memory key-value",
        examples: &["Redis", "Valkey"],
        prior: 0,
        trade_off: "The data must fit in RAM, and what survives a crash depends on persistence: a snapshot loses the writes since it was taken, an append-only file synced every second about a second of them. Safest as a cache in front of a durable store.",
        cannot: &[(
            Answer::Transactions,
            "MULTI/EXEC runs its commands back to back, but a command that fails while running does not undo the others, and in a cluster every key of it must share a hash slot.",
        )],
        patterns: &[("redis-architecture", "Redis architecture"), ("caching-levels", "Caching levels")],
    },
    Candidate {
        store: Store::TimeSeries,
        name: "Time-series database",
        short: "Time-series",
        examples: &["TimescaleDB", "InfluxDB"],
        prior: 0,
        trade_off: "Tuned for appends and time-window queries; frequent updates to old points, and questions that ignore time, lose that advantage.",
        cannot: &[],
        patterns: &[POSTGRES, STRUCTURES],
    },
    Candidate {
        store: Store::Search,
        name: "Search engine",
        short: "Search",
        examples: &["Elasticsearch", "OpenSearch"],
        prior: 0,
        trade_off: "Best as a second store fed from the primary one (by change data capture or an outbox); a write becomes searchable only after the next refresh.",
        cannot: &[(Answer::Transactions, "each document is written on its own: a bulk request is not a transaction, and one failed operation leaves the others applied.")],
        patterns: &[("search-engine-architecture", "Search engine architecture"), ("elasticsearch-architecture", "Elasticsearch architecture"), CDC],
    },
    Candidate {
        store: Store::Graph,
        name: "Graph database",
        short: "Graph",
        examples: &["Neo4j"],
        prior: 0,
        trade_off: "Traversals are cheap, but one graph is hard to spread over machines without cutting the links they follow, and the team learns a new query language.",
        cannot: &[],
        patterns: &[MODELS, POSTGRES],
    },
    Candidate {
        store: Store::Columnar,
        name: "Columnar analytics",
        short: "Columnar",
        examples: &["ClickHouse", "BigQuery", "Snowflake"],
        prior: 0,
        trade_off: "Scans billions of values quickly but is poor at fetching or changing single rows, so it sits downstream of the operational database, loaded in batches or streams.",
        cannot: &[],
        patterns: &[("data-lake-vs-warehouse", "Data lake vs warehouse"), CDC, ("data-pipelines", "Data pipelines")],
    },
    Candidate {
        store: Store::Vector,
        name: "Vector index",
        short: "Vector",
        examples: &["pgvector", "a vector database"],
        prior: 0,
        trade_off: "Approximate indexes trade some recall for speed, so a search can miss a true nearest neighbour, and changing the embedding model means embedding everything again.",
        cannot: &[],
        patterns: &[POSTGRES, ("generative-ai-landscape", "Generative AI landscape")],
    },
];
