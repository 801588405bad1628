//! What just happened, in one short sentence for the live region, and the state of the
//! strategy in focus when nothing has happened for a while.

use super::format::{data, duration, percent, times, users, whole};
use super::workload::key_name;
use super::{shard_name, Event, Plan, Setting, Sharding, SplitRefusal, Strategy, MAX_SHARDS, MAX_SPANS};

/// The event in words.
pub(super) fn describe(model: &Sharding, event: Event) -> String {
    let config = model.config();
    let focus = model.plan(model.focus());
    let hot = key_name(model.workload().hot_key());
    let sizing = || format!("sizing now says {} shards", whole(model.sizing().shards as f64));
    match event {
        Event::Started => format!(
            "{} users' data, {}, over {} shards at {} requests a second; {}: the busiest shard gets {} its fair share.",
            whole(model.workload().keys() as f64),
            data(f64::from(config.data_gb)),
            model.shards(),
            whole(f64::from(config.rate)),
            model.focus().label(),
            times(focus.hottest_over_fair())
        ),
        Event::Set(setting, value) => match setting {
            Setting::Focus => format!("Showing {}: its busiest shard, {}, gets {} its fair share.", model.focus().label(), shard_name(focus.hottest().0), times(focus.hottest_over_fair())),
            Setting::Hot if value == 0 => format!("{hot} is an ordinary user again: no key gets extra requests."),
            Setting::Hot if model.workload().salted() => format!("{hot} becomes a celebrity with {value}% of all requests, spread over its {} sub-keys.", model.workload().salt()),
            Setting::Hot => {
                let shard = usize::from(focus.owners().get(model.workload().hot_key() as usize).copied().unwrap_or(0));
                format!("{hot} becomes a celebrity with {value}% of all requests; under {} its shard, {}, is at {} of its capacity.", model.focus().label(), shard_name(shard), capacity_share(model, focus, shard))
            }
            Setting::Reads => format!("Reads are now {value}% of {hot}'s requests."),
            Setting::Rate => format!("Peak traffic is now {} requests a second; {}.", whole(f64::from(value)), sizing()),
            Setting::Skew => format!("Activity skew is now {:.2}: {}'s busiest shard gets {} its fair share.", f64::from(value) / 100.0, model.focus().label(), times(focus.hottest_over_fair())),
            Setting::Data => format!("The data set is now {}; {}.", data(f64::from(value)), sizing()),
            Setting::Qps => format!("A shard now serves up to {} requests a second; {}.", whole(f64::from(value)), sizing()),
            Setting::Disk => format!("A shard now stores up to {}; {}.", data(f64::from(value)), sizing()),
            Setting::Headroom => format!("Headroom is now {value}% of each shard; {}.", sizing()),
            Setting::Bandwidth => format!("A rebalance now copies at {} MB/s.", whole(f64::from(value))),
        },
        Event::Added(shard) => format!("{} joins: {}.", shard_name(usize::from(shard)), moved(model, focus, "onto it")),
        Event::Removed(shard) => format!("{} leaves: {}.", shard_name(usize::from(shard)), moved(model, focus, "off it")),
        Event::Split(split) => {
            let range = model.plan(Strategy::Range);
            let (keys, gb) = range.last().map_or((0, 0.0), |last| (last.keys, last.gb));
            format!(
                "Range partitioning cuts {}'s busiest range at {} and moves the part from there, {} and {}, to {}.",
                shard_name(usize::from(split.from)),
                key_name(split.at),
                users(keys),
                data(gb),
                shard_name(usize::from(split.to))
            )
        }
        Event::SplitRefused(SplitRefusal::OneShard) => "With one shard there is nowhere to move half a range.".to_string(),
        Event::SplitRefused(SplitRefusal::SingleKey) => "The busiest range is a single user: no split divides one key; salt it instead.".to_string(),
        Event::SplitRefused(SplitRefusal::TooManyRanges) => format!("Range partitioning already keeps {MAX_SPANS} ranges: no more splits."),
        Event::Salted(1) => format!("{hot} is unsalted: all its requests go to the one key again."),
        Event::Salted(salt) => format!("{hot} is salted over {salt} sub-keys: a write goes to one of them, a read asks all {salt}."),
        Event::Full => format!("No room: {MAX_SHARDS} shards is the most this tool draws."),
        Event::LastShard => "One shard is left, and every key needs a home: it stays.".to_string(),
    }
}

/// The strategy in focus now.
pub(super) fn state(model: &Sharding) -> String {
    let plan = model.plan(model.focus());
    let (shard, load) = plan.hottest();
    let capacity = model.config().shard_qps;
    let over = if load > f64::from(capacity) { format!(", over its capacity of {}: {} of all requests are throttled", whole(f64::from(capacity)), percent(plan.throttled(capacity))) } else { String::new() };
    format!(
        "{:.1} s: under {}, the busiest of {} shards, {}, serves {} requests a second, {} its fair share{over}.",
        model.time_ms() as f64 / 1000.0,
        model.focus().label(),
        model.shards(),
        shard_name(shard),
        whole(load),
        times(plan.hottest_over_fair())
    )
}

/// What the last rebalance of `plan` moved, and how long copying it takes.
fn moved(model: &Sharding, plan: &Plan, direction: &str) -> String {
    let Some(last) = plan.last() else { return format!("{} moves nothing", plan.strategy().label()) };
    let bandwidth = model.config().bandwidth_mbps;
    format!(
        "{} moves {} and {} {direction}, {} of copying at {} MB/s",
        plan.strategy().label(),
        users(last.keys),
        data(last.gb),
        duration(last.seconds(bandwidth)),
        whole(f64::from(bandwidth))
    )
}

/// A shard's requests as a share of what it can serve: `62%`, `215%`.
pub(super) fn capacity_share(model: &Sharding, plan: &Plan, shard: usize) -> String {
    let load = plan.loads().get(shard).copied().unwrap_or(0.0);
    percent(load / f64::from(model.config().shard_qps.max(1)))
}
