//! The rule table: each rule is a set of answers (all must be given), a kind of store, points
//! and the reason in a sentence. It is the whole of the scoring besides the priors and the
//! requirement penalty (see the module documentation), kept as data so that it can be read,
//! reviewed and walked by the tests.
//!
//! The points follow one scale: +5 for the one kind built for an answer that nothing else
//! serves well (a graph, full-text search, analytics, vectors), +3 for the kinds an answer
//! points to first, +1 or +2 for kinds that handle it well enough, and −1 or −2 for kinds it
//! works against. A rule on two answers adds to what each earns alone.

use super::catalogue::Store;
use super::Answer;
use super::Answer::*;
use super::Store::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The answers that must all be given.
    pub when: &'static [Answer],
    pub store: Store,
    pub points: i32,
    pub reason: &'static str,
}

const fn rule(when: &'static [Answer], store: Store, points: i32, reason: &'static str) -> Rule {
    Rule { when, store, points, reason }
}

pub const RULES: &[Rule] = &[
    // What the data looks like.
    rule(&[Tables], Relational, 3, "Records that point at each other are what tables, foreign keys and joins were designed for."),
    rule(&[Tables], DistributedSql, 2, "Keeps tables, foreign keys and joins while spreading the rows over many machines."),
    rule(&[Tables], Document, -1, "Records shared by many others do not nest, so they are copied into each document or joined by the application."),
    rule(&[Tables], WideColumn, -1, "There are no joins, so related records are copied into every table that reads them."),
    rule(&[Tables], KeyValue, -1, "There are no joins, so related records are copied into every item that needs them."),
    rule(&[Documents], Document, 3, "Stores each record as one JSON-like document, nested fields and all, free to differ from the next."),
    rule(&[Documents], Relational, 1, "PostgreSQL's jsonb and MySQL's JSON columns store and index documents beside ordinary columns."),
    rule(&[Documents], KeyValue, 1, "An item holds nested maps and lists and is read or written whole by its key."),
    rule(&[Links], Graph, 5, "Stores each relationship as a link between records, so a traversal follows links instead of joining tables."),
    rule(&[Links], Relational, 1, "A join table holds many-to-many links, and recursive SQL (WITH RECURSIVE) can follow a few hops."),
    rule(&[Links], Document, -1, "Many-to-many links do not nest, so they end up copied across documents."),
    rule(&[Events], TimeSeries, 3, "Stores timestamped appends compactly, partitioned by time, and expires old data by the chunk."),
    rule(&[Events], WideColumn, 2, "Appends land in order inside a partition (one device, one channel) and read back as one sorted run."),
    rule(&[Events], Columnar, 1, "Events that never change compress well column by column."),
    // How it is mostly read.
    rule(&[AdHoc], Relational, 3, "SQL answers questions nobody planned for: any filter, join or sort, with indexes added when needed."),
    rule(&[AdHoc], DistributedSql, 2, "Speaks SQL, so a new question needs a new query, not a new table."),
    rule(&[AdHoc], Document, 1, "Queries can filter and sort on any field, helped by secondary indexes."),
    rule(&[AdHoc], WideColumn, -2, "Each table serves the queries its partition key was chosen for; a new filter means a new table or a full scan."),
    rule(&[AdHoc], KeyValue, -2, "A query that names neither a key nor an index defined in advance is a full-table scan."),
    rule(&[AdHoc], InMemory, -2, "There is no query language over the values: every question is a key or a structure built for it."),
    rule(&[ByKey], KeyValue, 3, "Each request goes straight to the partition holding its key, so its cost does not grow with the table."),
    rule(&[ByKey], InMemory, 3, "Answers from memory: the fastest way to fetch a value whose key you know."),
    rule(&[ByKey], WideColumn, 1, "The partition key leads straight to the replicas that hold it."),
    rule(&[ByKey], Document, 1, "A lookup by _id uses the primary index."),
    rule(&[Ranges], WideColumn, 2, "Rows inside a partition are kept sorted, so “the latest 50 in this channel” is one sequential read."),
    rule(&[Ranges], TimeSeries, 2, "Data is chunked by time, so a query over a window reads only the chunks it covers."),
    rule(&[Ranges], Relational, 1, "A B-tree index returns any range of keys in order."),
    rule(&[Ranges], KeyValue, 1, "Items that share a partition key are sorted by their sort key and can be read as a range."),
    // A specialised query.
    rule(&[FullText], Search, 5, "An inverted index with relevance scoring, language analysers and fuzzy matching: full-text search is what it is for."),
    rule(&[FullText], Relational, 1, "PostgreSQL's built-in full-text search (tsvector with a GIN index) covers simple cases without a second system."),
    rule(&[Analytics], Columnar, 5, "Keeps each column apart and compressed, so an aggregate reads only the columns it needs, across billions of rows."),
    rule(&[Analytics], TimeSeries, 2, "Aggregates over time windows are built in."),
    rule(&[Analytics], Search, 1, "Its aggregations over indexed fields drive log and metrics dashboards."),
    rule(&[Analytics], Relational, -1, "Big scans compete with transactions on the same primary; a replica or a warehouse takes them elsewhere."),
    rule(&[Analytics], WideColumn, -1, "An aggregate across partitions scans the whole cluster, so analytics usually runs on an exported copy."),
    rule(&[Analytics], KeyValue, -2, "There are no aggregates: a sum over the table reads every item."),
    rule(&[Analytics], InMemory, -2, "There are no aggregates beyond what you precompute into its structures."),
    rule(&[Vectors], Vector, 5, "An approximate nearest-neighbour index (HNSW, IVF) finds the closest embeddings without comparing against every one."),
    rule(&[Vectors], Relational, 1, "With the pgvector extension, PostgreSQL keeps embeddings beside the rows they describe."),
    rule(&[Vectors], Search, 1, "Elasticsearch and OpenSearch run k-nearest-neighbour queries on dense vectors, alone or mixed with text relevance."),
    // What a write must guarantee.
    rule(&[Transactions], Relational, 3, "ACID transactions across any rows and tables are its core promise."),
    rule(&[Transactions], DistributedSql, 3, "Keeps ACID transactions across rows on different machines (CockroachDB runs them serializable by default)."),
    rule(&[Transactions], Document, 1, "Multi-document ACID transactions exist (replica sets since MongoDB 4.0, sharded clusters since 4.2), though single-document writes stay the fast path."),
    rule(&[Transactions], KeyValue, -1, "A transaction (TransactWriteItems) covers at most 100 items, within one account and Region (2026)."),
    rule(&[Transactions], Columnar, -2, "Built for bulk loads and big scans, not for many small transactions at once."),
    rule(&[StrongReads], Relational, 1, "Reads from the primary always see the latest committed write."),
    rule(&[StrongReads], DistributedSql, 1, "A read sees the latest committed write, whichever node it reaches first."),
    rule(&[StrongReads], KeyValue, 1, "A read can ask for strong consistency, at twice the read capacity of an eventually consistent one (2026)."),
    rule(&[StrongReads], WideColumn, -1, "Strong reads take quorum writes and quorum reads (or Bigtable's single-cluster routing), each waiting on more replicas."),
    rule(&[StrongReads], InMemory, -1, "Replicas are updated asynchronously, so a failover can lose writes that were acknowledged."),
    rule(&[StrongReads], Search, -2, "A new or changed document shows in searches only after the next refresh, within about a second by default (2026)."),
    rule(&[Eventual], WideColumn, 2, "Replicas take writes and converge in the background, which keeps writes fast and available."),
    rule(&[Eventual], KeyValue, 1, "An eventually consistent read costs half the read capacity of a strong one (2026)."),
    rule(&[Eventual], InMemory, 1, "Asynchronous replicas can serve reads when a slightly old value is acceptable."),
    rule(&[Eventual], Document, 1, "Reads can go to secondaries to spread the load."),
    rule(&[Eventual], Search, 1, "Search results a second behind the data are acceptable here."),
    rule(&[Eventual], DistributedSql, -1, "It pays for consensus on every write, a guarantee you said you can do without."),
    // How big, and where.
    rule(&[OneMachine], Relational, 2, "One primary with a replica or two handles it, and is the simplest system here to run."),
    rule(&[OneMachine], DistributedSql, -2, "A consensus cluster is cost and write latency you do not need at this size."),
    rule(&[OneMachine], WideColumn, -2, "It is built for many nodes; on one machine's worth of data its query limits buy nothing."),
    rule(&[WriteScale], WideColumn, 3, "Writes spread over every node by partition key, and adding nodes adds write capacity."),
    rule(&[WriteScale], KeyValue, 3, "Partitions split and spread as traffic grows, with no servers to size."),
    rule(&[WriteScale], DistributedSql, 2, "Splits tables into ranges that are spread and rebalanced over nodes, while keeping SQL."),
    rule(&[WriteScale], Document, 2, "Sharding spreads a collection over shards by a shard key."),
    rule(&[WriteScale], InMemory, 1, "A cluster spreads keys over shards by hash slot."),
    rule(&[WriteScale], Relational, -2, "One primary takes every write; beyond it you shard by hand or with an extension such as Citus."),
    rule(&[WriteScale], Graph, -2, "A graph is hard to split over machines without cutting the links that traversals follow."),
    rule(&[MultiRegion], DistributedSql, 3, "Replicates across regions by consensus and can keep each row in its users' region."),
    rule(&[MultiRegion], WideColumn, 2, "Replication across datacenters is built in, and each region can write at a local quorum."),
    rule(&[MultiRegion], KeyValue, 2, "Global tables keep a replica in each chosen Region, and every replica takes writes."),
    rule(&[MultiRegion], Document, 1, "Zone sharding can keep each region's documents on shards in that region."),
    rule(&[MultiRegion], Relational, -2, "One primary region takes every write, so users elsewhere pay a cross-region round trip per write."),
    rule(&[Links, OneMachine], Graph, 2, "A graph that fits one server is where a graph database is at its best: no traversal crosses machines."),
    rule(&[Transactions, WriteScale], DistributedSql, 1, "Transactions at more writes than one machine takes is the case it was built for."),
    rule(&[Transactions, MultiRegion], DistributedSql, 2, "The one kind here that keeps transactions while several regions write."),
    // How you want to run it.
    rule(&[Managed], KeyValue, 2, "Serverless: in on-demand mode there are no servers, versions or capacity to manage."),
    rule(&[Managed], DistributedSql, 1, "Spanner is a managed Google Cloud service, and CockroachDB and YugabyteDB are also sold as managed services."),
    rule(&[Managed], Columnar, 1, "BigQuery and Snowflake are run entirely by their vendors."),
    rule(&[SelfHosted], Relational, 1, "Open source, with decades of tooling and operating know-how."),
    rule(&[SelfHosted], DistributedSql, -1, "Spanner runs only on Google Cloud, and running a CockroachDB or YugabyteDB cluster yourself takes real skill."),
    rule(&[SelfHosted], Columnar, -1, "Of these only ClickHouse runs on your own machines; BigQuery and Snowflake are cloud services."),
    rule(&[Sql], Relational, 2, "The team's SQL carries over unchanged."),
    rule(&[Sql], DistributedSql, 2, "Speaks SQL, in PostgreSQL's dialect for CockroachDB and YugabyteDB."),
    rule(&[Sql], Columnar, 2, "Analysts and BI tools query it in ordinary SQL."),
    rule(&[Sql], TimeSeries, 1, "TimescaleDB is PostgreSQL underneath, so it is queried in SQL."),
    rule(&[Sql], Document, -1, "Queries use MongoDB's own query language and aggregation pipelines rather than SQL."),
    rule(&[Sql], Graph, -1, "Queries are written in Cypher, a graph query language of its own."),
    rule(&[Sql], KeyValue, -1, "Access goes through its API, item by item, not through SQL with joins."),
    rule(&[Sql], InMemory, -1, "Each data structure has its own commands; there is no SQL."),
];
