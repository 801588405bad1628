//! Starting points for five classic interview systems, as data. Traffic and sizes are round
//! assumptions of our own, chosen to be plausible rather than any company's real numbers.
//!
//! Prices are the rounded cross-provider figures of Simon Eskildsen's Napkin Math cost table
//! (README of September 2024): $15 a month per CPU core, $2 per GB of RAM, $0.20 per
//! GB-month of zonal SSD, $0.02 for blob storage, $0.10 per GB of internet egress and $0.05 of
//! CDN egress. An app server of 8 cores and 32 GB is then 8 × 15 + 32 × 2 = $184 a month, a
//! cache node of 8 cores and 64 GB 8 × 15 + 64 × 2 = $248. Photos and videos are cached on
//! SSD at the edge, not in RAM: a CDN-style node with 20 TB of ephemeral SSD at $0.08 per
//! GB-month is 20,000 × 0.08 + 184 = $1,784. Blob storage already keeps its own redundant
//! copies in its price, so the photo and video templates store one copy.

use super::Inputs;

#[derive(Debug, PartialEq)]
pub struct Template {
    /// The name in links and JSON.
    pub id: &'static str,
    pub name: &'static str,
    /// What the numbers assume, in a sentence.
    pub description: &'static str,
    /// When the prices were true, and where from.
    pub prices_as_of: &'static str,
    pub inputs: Inputs,
}

const PRICES_AS_OF: &str = "Prices: Napkin Math cost table (2024)";
const SERVER: f64 = 184.0;
const CACHE_NODE: f64 = 248.0;
const CACHE_NODE_GB: f64 = 64.0;
const SSD_GB_MONTH: f64 = 0.2;
const BLOB_GB_MONTH: f64 = 0.02;
const INTERNET_EGRESS: f64 = 0.1;
const CDN_EGRESS: f64 = 0.05;
const EDGE_NODE: f64 = 1_784.0;
const EDGE_NODE_GB: f64 = 20_000.0;

pub const TEMPLATES: [Template; 5] = [
    Template {
        id: "url-shortener",
        name: "URL shortener",
        description: "Short links resolved far more often than created: 100 reads per new link, half a kilobyte per record, kept five years on SSD with three replicas.",
        prices_as_of: PRICES_AS_OF,
        inputs: Inputs {
            daily_active_users: 100_000_000.0,
            actions_per_user: 10.0,
            read_write_ratio: 100.0,
            peak_factor: 3.0,
            write_bytes: 500.0,
            read_bytes: 500.0,
            retention_days: 1_825.0,
            replication: 3.0,
            cache_hit_percent: 80.0,
            server_qps: 5_000.0,
            cache_node_gb: CACHE_NODE_GB,
            server_dollars_per_month: SERVER,
            cache_node_dollars_per_month: CACHE_NODE,
            storage_dollars_per_gb_month: SSD_GB_MONTH,
            egress_dollars_per_gb: INTERNET_EGRESS,
        },
    },
    Template {
        id: "feed",
        name: "Twitter-like feed",
        description: "Short text posts read in timelines: 175 post reads and writes per user a day at 50:1, a 300-byte post, a 1 kB rendered post per read, kept ten years.",
        prices_as_of: PRICES_AS_OF,
        inputs: Inputs {
            daily_active_users: 150_000_000.0,
            actions_per_user: 175.0,
            read_write_ratio: 50.0,
            peak_factor: 3.0,
            write_bytes: 300.0,
            read_bytes: 1_000.0,
            retention_days: 3_650.0,
            replication: 3.0,
            cache_hit_percent: 90.0,
            server_qps: 2_000.0,
            cache_node_gb: CACHE_NODE_GB,
            server_dollars_per_month: SERVER,
            cache_node_dollars_per_month: CACHE_NODE,
            storage_dollars_per_gb_month: SSD_GB_MONTH,
            egress_dollars_per_gb: INTERNET_EGRESS,
        },
    },
    Template {
        id: "photos",
        name: "Photo service",
        description: "Photos uploaded as a 2 MB original plus renditions and viewed 100 times each as a 200 kB feed-size image, kept in blob storage and cached on SSD at the edge.",
        prices_as_of: PRICES_AS_OF,
        inputs: Inputs {
            daily_active_users: 100_000_000.0,
            actions_per_user: 30.0,
            read_write_ratio: 100.0,
            peak_factor: 3.0,
            write_bytes: 2_000_000.0,
            read_bytes: 200_000.0,
            retention_days: 3_650.0,
            replication: 1.0,
            cache_hit_percent: 95.0,
            server_qps: 1_000.0,
            cache_node_gb: EDGE_NODE_GB,
            server_dollars_per_month: SERVER,
            cache_node_dollars_per_month: EDGE_NODE,
            storage_dollars_per_gb_month: BLOB_GB_MONTH,
            egress_dollars_per_gb: CDN_EGRESS,
        },
    },
    Template {
        id: "video",
        name: "Video service",
        description: "Uploads of 500 MB across all renditions, each watched 300 times for about 60 MB (eight minutes at 1 Mbit/s), from blob storage through SSD edge caches.",
        prices_as_of: PRICES_AS_OF,
        inputs: Inputs {
            daily_active_users: 50_000_000.0,
            actions_per_user: 6.0,
            read_write_ratio: 300.0,
            peak_factor: 2.0,
            write_bytes: 500_000_000.0,
            read_bytes: 60_000_000.0,
            retention_days: 3_650.0,
            replication: 1.0,
            cache_hit_percent: 95.0,
            server_qps: 500.0,
            cache_node_gb: EDGE_NODE_GB,
            server_dollars_per_month: SERVER,
            cache_node_dollars_per_month: EDGE_NODE,
            storage_dollars_per_gb_month: BLOB_GB_MONTH,
            egress_dollars_per_gb: CDN_EGRESS,
        },
    },
    Template {
        id: "chat",
        name: "Chat service",
        description: "Messages of 200 bytes, each written once and delivered about once (1:1), 80 a user a day, kept a year, with a cache for recent conversations.",
        prices_as_of: PRICES_AS_OF,
        inputs: Inputs {
            daily_active_users: 100_000_000.0,
            actions_per_user: 80.0,
            read_write_ratio: 1.0,
            peak_factor: 3.0,
            write_bytes: 200.0,
            read_bytes: 200.0,
            retention_days: 365.0,
            replication: 3.0,
            cache_hit_percent: 50.0,
            server_qps: 10_000.0,
            cache_node_gb: CACHE_NODE_GB,
            server_dollars_per_month: SERVER,
            cache_node_dollars_per_month: CACHE_NODE,
            storage_dollars_per_gb_month: SSD_GB_MONTH,
            egress_dollars_per_gb: INTERNET_EGRESS,
        },
    },
];

impl Template {
    pub fn by_id(id: &str) -> Option<&'static Template> {
        TEMPLATES.iter().find(|template| template.id == id)
    }
}
