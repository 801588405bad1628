//! What the reader controls: the parameters (declared once for the controls and the URL), the
//! settings each of them becomes during a run, and the actions with their compact URL form.
//!
//! Every parameter but the page capacity is also a live setting: `Action::Set` changes it in the
//! running system at once, so the view can send a control's change as an action with
//! [`Action::from_param`] and show the current value with [`Config::value`]. The page capacity
//! shapes every page the B-tree already holds, so changing it starts a new run.

use super::{OpKind, DELETE_RANGE};
use crate::sim::{ParamKind, ParamSpec, Params, Value};

/// How the workload picks its keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dist {
    /// Every key equally likely.
    Uniform,
    /// Inserts append the next key (wrapping at the end of the key space), reads and updates
    /// touch the newest keys, deletes take the oldest: a log or a time series with retention.
    Sequential,
    /// Zipf-skewed: the k-th most popular key is asked for in proportion to 1/k, the hot keys
    /// scattered over the key space.
    Zipf,
}

impl Dist {
    pub const ALL: [Dist; 3] = [Dist::Uniform, Dist::Sequential, Dist::Zipf];

    /// What the URL carries.
    pub fn key(self) -> &'static str {
        match self {
            Dist::Uniform => "uniform",
            Dist::Sequential => "sequential",
            Dist::Zipf => "zipf",
        }
    }

    /// In a few words, for the stage and the narration.
    pub fn words(self) -> &'static str {
        match self {
            Dist::Uniform => "uniform keys",
            Dist::Sequential => "sequential keys",
            Dist::Zipf => "Zipf-skewed keys",
        }
    }
}

const DISTS: &[(&str, &str)] = &[("uniform", "Uniform"), ("sequential", "Sequential (append, read the newest, delete the oldest)"), ("zipf", "Zipf-skewed (a few hot keys)")];

/// The parameters, declared once for the controls and the URL:
///
/// - `insert`, `update`, `delete`, `get` and `scan` weigh the operation mix: each operation is
///   one of the five with a chance proportional to its weight (all zero: the workload stops).
///   An insert writes a key drawn from the distribution (overwriting it if it exists), an update
///   and a delete pick an existing key, a get asks for a drawn key (which may not exist), and a
///   scan reads `SCAN_KEYS` consecutive keys.
/// - `dist`, the key distribution (see [`Dist`]); `rate`, operations a simulated second.
/// - `page`: records a B-tree page holds, and an SSTable block too, so that both engines read
///   and write in the same unit. Real engines use 4 to 16 KB pages (see the tool's page).
/// - `memtable`: writes the memtable takes before it is flushed to an L0 table (RocksDB's
///   `write_buffer_size`, 64 MB by default); `ratio`, how much bigger each level's target is than
///   the one above (`max_bytes_for_level_multiplier`, 10 by default); `bloom`, the bits per key of
///   each new table's Bloom filter (0: tables get none). RocksDB's defaults are read from its
///   `include/rocksdb/options.h` and `advanced_options.h`.
pub const STORAGE_PARAMS: &[ParamSpec] = &[
    ParamSpec { key: "insert", label: "Inserts (weight)", kind: ParamKind::Int { min: 0, max: 100 }, default: Value::Int(40) },
    ParamSpec { key: "update", label: "Updates of existing keys (weight)", kind: ParamKind::Int { min: 0, max: 100 }, default: Value::Int(20) },
    ParamSpec { key: "delete", label: "Deletes (weight)", kind: ParamKind::Int { min: 0, max: 100 }, default: Value::Int(10) },
    ParamSpec { key: "get", label: "Point reads (weight)", kind: ParamKind::Int { min: 0, max: 100 }, default: Value::Int(25) },
    ParamSpec { key: "scan", label: "Range scans of 10 keys (weight)", kind: ParamKind::Int { min: 0, max: 100 }, default: Value::Int(5) },
    ParamSpec { key: "dist", label: "Key distribution", kind: ParamKind::Choice(DISTS), default: Value::Choice("uniform") },
    ParamSpec { key: "rate", label: "Operations per second", kind: ParamKind::Float { min: 0.5, max: 20.0 }, default: Value::Float(4.0) },
    ParamSpec { key: "page", label: "Records per B-tree page and SSTable block", kind: ParamKind::Int { min: 4, max: 16 }, default: Value::Int(4) },
    ParamSpec { key: "memtable", label: "Memtable size (writes before a flush)", kind: ParamKind::Int { min: 2, max: 32 }, default: Value::Int(8) },
    ParamSpec { key: "ratio", label: "Size ratio between LSM levels", kind: ParamKind::Int { min: 2, max: 10 }, default: Value::Int(10) },
    ParamSpec { key: "bloom", label: "Bloom filter bits per key (0: no filters)", kind: ParamKind::Int { min: 0, max: 16 }, default: Value::Int(10) },
];

/// The settings of a run as the model uses them, each clamped to its declared range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    /// The weights of the operations, in `OpKind::ALL` order.
    pub mix: [u32; 5],
    pub dist: Dist,
    /// Operations a second, in tenths, so a setting round-trips a URL exactly.
    pub rate_tenths: u32,
    pub page: u32,
    pub memtable: u32,
    pub ratio: u32,
    pub bloom: u32,
}

impl Config {
    /// Reads the parameters defensively (see `Params::number_in`): a missing key, a wrong kind
    /// or an out-of-range value falls back or clamps.
    pub fn from_params(params: &Params) -> Self {
        let whole = |key: &str| params.number_in(STORAGE_PARAMS, key).round() as u32;
        let dist = params.choice_in(STORAGE_PARAMS, "dist");
        Self {
            mix: OpKind::ALL.map(|kind| whole(kind.key())),
            dist: Dist::ALL.into_iter().find(|each| each.key() == dist).unwrap_or(Dist::Uniform),
            rate_tenths: ((params.number_in(STORAGE_PARAMS, "rate") * 10.0).round() as u32).max(1),
            page: whole("page").max(4),
            memtable: whole("memtable").max(2),
            ratio: whole("ratio").max(2),
            bloom: whole("bloom"),
        }
    }

    /// Operations a simulated second.
    pub fn rate(&self) -> f64 {
        f64::from(self.rate_tenths) / 10.0
    }

    /// The share of operations of one kind (0 when every weight is 0).
    pub fn share(&self, kind: OpKind) -> f64 {
        let total: u32 = self.mix.iter().sum();
        if total == 0 {
            0.0
        } else {
            f64::from(self.mix[kind as usize]) / f64::from(total)
        }
    }

    /// The setting's value as an action carries it.
    pub fn get(&self, setting: Setting) -> u32 {
        match setting {
            Setting::Mix(kind) => self.mix[kind as usize],
            Setting::Dist => Dist::ALL.iter().position(|each| *each == self.dist).unwrap_or(0) as u32,
            Setting::Rate => self.rate_tenths,
            Setting::Memtable => self.memtable,
            Setting::Ratio => self.ratio,
            Setting::Bloom => self.bloom,
        }
    }

    /// The value of the parameter `key` now, the inverse of [`Action::from_param`]: what a live
    /// control shows. The page capacity is not live, and `None` like an unknown key.
    pub fn value(&self, key: &str) -> Option<Value> {
        let setting = Setting::ALL.into_iter().find(|setting| setting.key() == key)?;
        Some(match setting {
            Setting::Rate => Value::Float(self.rate()),
            Setting::Dist => Value::Choice(self.dist.key()),
            _ => Value::Int(i64::from(self.get(setting))),
        })
    }

    /// Changes one setting, clamped to its range.
    pub(super) fn set(&mut self, setting: Setting, value: u32) {
        let (low, high) = setting.range();
        let value = value.clamp(low, high);
        match setting {
            Setting::Mix(kind) => self.mix[kind as usize] = value,
            Setting::Dist => self.dist = Dist::ALL[value as usize % Dist::ALL.len()],
            Setting::Rate => self.rate_tenths = value,
            Setting::Memtable => self.memtable = value,
            Setting::Ratio => self.ratio = value,
            Setting::Bloom => self.bloom = value,
        }
    }
}

/// One parameter as a live setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    /// The weight of one kind of operation.
    Mix(OpKind),
    /// The distribution's number in `Dist::ALL`.
    Dist,
    /// In tenths of an operation a second.
    Rate,
    Memtable,
    Ratio,
    Bloom,
}

impl Setting {
    pub const ALL: [Setting; 10] = [
        Setting::Mix(OpKind::Insert),
        Setting::Mix(OpKind::Update),
        Setting::Mix(OpKind::Delete),
        Setting::Mix(OpKind::Get),
        Setting::Mix(OpKind::Scan),
        Setting::Dist,
        Setting::Rate,
        Setting::Memtable,
        Setting::Ratio,
        Setting::Bloom,
    ];

    /// The parameter it comes from.
    pub fn key(self) -> &'static str {
        match self {
            Setting::Mix(kind) => kind.key(),
            Setting::Dist => "dist",
            Setting::Rate => "rate",
            Setting::Memtable => "memtable",
            Setting::Ratio => "ratio",
            Setting::Bloom => "bloom",
        }
    }

    fn code(self) -> char {
        match self {
            Setting::Mix(OpKind::Insert) => 'i',
            Setting::Mix(OpKind::Update) => 'u',
            Setting::Mix(OpKind::Delete) => 'd',
            Setting::Mix(OpKind::Get) => 'g',
            Setting::Mix(OpKind::Scan) => 's',
            Setting::Dist => 'k',
            Setting::Rate => 'r',
            Setting::Memtable => 'm',
            Setting::Ratio => 't',
            Setting::Bloom => 'b',
        }
    }

    /// The lowest and highest value an action may carry, read from the parameters' ranges.
    pub fn range(self) -> (u32, u32) {
        STORAGE_PARAMS.iter().find(|spec| spec.key == self.key()).map_or((0, 1), |spec| spec.action_range(10.0))
    }
}

/// What the reader does to the running system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Changes a setting from now on (see [`Setting`] for the units).
    Set(Setting, u32),
    /// Flushes the memtable to an L0 table now, however full it is.
    Flush,
    /// A manual compaction of everything: the memtable is flushed and every table merged into
    /// one sorted run, tombstones and old versions dropped (RocksDB's `CompactRange`).
    Compact,
    /// Deletes every key in `DELETE_RANGE`, present or not, one delete each.
    DeleteRange,
}

impl Action {
    /// The action for a control's new value: a parameter's key and value as the controls hold
    /// them; `None` for an unknown key, the page capacity, or a value of the wrong kind.
    pub fn from_param(key: &str, value: Value) -> Option<Action> {
        let setting = Setting::ALL.into_iter().find(|setting| setting.key() == key)?;
        let number = match (setting, value) {
            (Setting::Rate, Value::Float(rate)) if rate.is_finite() => (rate.max(0.0) * 10.0).round() as u32,
            (Setting::Dist, Value::Choice(dist)) => Dist::ALL.iter().position(|each| each.key() == dist)? as u32,
            (Setting::Rate | Setting::Dist, _) => return None,
            (_, Value::Int(whole)) => whole.clamp(0, i64::from(u32::MAX)) as u32,
            _ => return None,
        };
        let (low, high) = setting.range();
        Some(Action::Set(setting, number.clamp(low, high)))
    }

    /// Compact text for the URL: a setting is its letter and value (`i40`, `u20`, `d10`, `g25`,
    /// `s5` the mix's weights, `k0` the distribution's number, `r40` the rate in tenths, `m8` the
    /// memtable, `t10` the size ratio, `b10` the Bloom filter's bits per key); `f` flushes, `c`
    /// compacts everything, `x` deletes the range.
    pub fn encode(&self) -> String {
        match *self {
            Action::Set(setting, value) => format!("{}{value}", setting.code()),
            Action::Flush => "f".to_string(),
            Action::Compact => "c".to_string(),
            Action::DeleteRange => "x".to_string(),
        }
    }

    /// Reads exactly what `encode` writes (numbers without a sign or a leading zero, within
    /// their ranges); anything else is `None`.
    pub fn decode(text: &str) -> Option<Action> {
        match text {
            "f" => return Some(Action::Flush),
            "c" => return Some(Action::Compact),
            "x" => return Some(Action::DeleteRange),
            _ => {}
        }
        let (tag, rest) = text.split_at_checked(1)?;
        let number = crate::sim::query::canonical_number(rest)?;
        let setting = Setting::ALL.into_iter().find(|setting| setting.code().to_string() == tag)?;
        let (low, high) = setting.range();
        (low..=high).contains(&number).then_some(Action::Set(setting, number))
    }

    /// Button text, and the narration's name for an action.
    pub fn label(&self) -> String {
        match *self {
            Action::Set(Setting::Mix(kind), value) => format!("{} weight {value}", kind.name()),
            Action::Set(Setting::Dist, value) => Dist::ALL.get(value as usize).map_or("Key distribution", |dist| dist.words()).to_string(),
            Action::Set(Setting::Rate, value) => format!("{:.1} operations a second", f64::from(value) / 10.0),
            Action::Set(Setting::Memtable, value) => format!("Memtable of {value} writes"),
            Action::Set(Setting::Ratio, value) => format!("Size ratio {value}"),
            Action::Set(Setting::Bloom, 0) => "No Bloom filters".to_string(),
            Action::Set(Setting::Bloom, value) => format!("Bloom filters of {value} bits per key"),
            Action::Flush => "Flush the memtable now".to_string(),
            Action::Compact => "Compact everything".to_string(),
            Action::DeleteRange => format!("Delete keys {}–{}", DELETE_RANGE.0, DELETE_RANGE.1),
        }
    }
}
