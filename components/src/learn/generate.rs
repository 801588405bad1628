//! Questions generated from the site's own models, so practice never runs out: each generator
//! draws a scenario from a seed, asks the model for the answer, and writes an explanation that
//! shows the working. The same seed always gives the same question (shareable as
//! `?generator=<slug>&seed=<n>`), and the tests check, for many seeds, that every explanation
//! states the answer the model computed.
//!
//! Questions and explanations are plain text: the page shows them with `textContent`.

use super::question::{Difficulty, Key, Kind};
use crate::sim::rng::SimRng;
use crate::sim::number::whole_number;
use crate::viz;

/// A question made by a generator.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    /// `gen/<generator>/<seed>`: the id review stores.
    pub id: String,
    pub generator: &'static str,
    pub seed: u64,
    pub kind: Kind,
    pub difficulty: Difficulty,
    pub prompt: String,
    /// Choice questions' options (empty for a number).
    pub options: Vec<String>,
    pub key: Key,
    /// A number's unit, as the field's label shows it.
    pub unit: &'static str,
    pub explanation: String,
    /// The tool or page where the reader can see the mechanism.
    pub see: &'static str,
}

/// One generator: its slug, what it asks about, and the function that makes a question.
pub struct Generator {
    pub slug: &'static str,
    pub title: &'static str,
    pub see: &'static str,
    pub make: fn(u64) -> Generated,
}

/// Every generator, in the order the hub lists them.
pub const GENERATORS: &[Generator] = &[
    Generator { slug: "peak-qps", title: "Peak QPS from daily users", see: "/visualizers/capacity-planner", make: peak_qps },
    Generator { slug: "storage-growth", title: "Storage for a year of writes", see: "/visualizers/capacity-planner", make: storage_growth },
    Generator { slug: "availability", title: "Downtime of a series/parallel system", see: "/visualizers/availability", make: availability },
    Generator { slug: "error-budget", title: "Error budget left after an incident", see: "/visualizers/slo-error-budget", make: error_budget },
    Generator { slug: "token-bucket", title: "Requests a token bucket lets through", see: "/visualizers/rate-limiters", make: token_bucket },
    Generator { slug: "ring-owner", title: "Which node owns this key on the ring", see: "/visualizers/consistent-hashing", make: ring_owner },
    Generator { slug: "modulo-moves", title: "Keys that move under hash mod N", see: "/visualizers/consistent-hashing", make: modulo_moves },
    Generator { slug: "ring-join", title: "Keys that move when a node joins a ring", see: "/visualizers/consistent-hashing", make: ring_join },
    Generator { slug: "cp-partition", title: "What a CP cluster refuses in a partition", see: "/visualizers/cap-theorem", make: cp_partition },
    Generator { slug: "quorum-overlap", title: "Quorums that always overlap", see: "/visualizers/cap-theorem", make: quorum_overlap },
    Generator { slug: "pkce-challenge", title: "The PKCE challenge of a verifier", see: "/visualizers/oauth-flows", make: pkce_challenge },
    Generator { slug: "bloom-size", title: "Bits a Bloom filter needs", see: "/visualizers/bloom-filter", make: bloom_size },
    Generator { slug: "lru-eviction", title: "What an LRU cache evicts", see: "/visualizers/cache-eviction", make: lru_eviction },
];

pub fn find(slug: &str) -> Option<&'static Generator> {
    GENERATORS.iter().find(|generator| generator.slug == slug)
}

/// The question `slug` makes from `seed`, or `None` for an unknown generator.
pub fn generate(slug: &str, seed: u64) -> Option<Generated> {
    find(slug).map(|generator| (generator.make)(seed))
}

/// Reads a generated question's id back (`gen/<slug>/<seed>`).
pub fn from_id(id: &str) -> Option<Generated> {
    let rest = id.strip_prefix("gen/")?;
    let (slug, seed) = rest.split_once('/')?;
    generate(slug, seed.parse().ok()?)
}

/// A value rounded to three significant figures, grouped: 11,600; 240; 0.0125. For answers
/// that are estimates, where more digits would claim a precision the question does not have.
pub fn group_significant(value: f64) -> String {
    if value == 0.0 || !value.is_finite() {
        return "0".to_string();
    }
    let magnitude = value.abs().log10().floor() as i32;
    if magnitude >= 2 {
        let unit = 10f64.powi(magnitude - 2);
        whole_number((value / unit).round() * unit)
    } else {
        decimal(value, (2 - magnitude) as usize)
    }
}

/// A value with up to `places` decimals, trailing zeros dropped: 2.5, 0.125, 43.2.
fn decimal(value: f64, places: usize) -> String {
    let text = format!("{value:.places$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

fn pick<T: Copy>(rng: &mut SimRng, from: &[T]) -> T {
    from[rng.below(from.len() as u64) as usize]
}

fn number(slug: &'static str, seed: u64, difficulty: Difficulty, prompt: String, value: f64, tolerance: f64, unit: &'static str, explanation: String) -> Generated {
    Generated {
        id: format!("gen/{slug}/{seed}"),
        generator: slug,
        seed,
        kind: Kind::Number,
        difficulty,
        prompt,
        options: Vec::new(),
        key: Key::Number { value, tolerance },
        unit,
        explanation,
        see: find(slug).map_or("/quiz", |generator| generator.see),
    }
}

/// A single-choice question whose options are shuffled by the seed; `right` is the index of
/// the right one in `options` as given.
fn single(slug: &'static str, seed: u64, difficulty: Difficulty, prompt: String, options: Vec<String>, right: usize, explanation: String) -> Generated {
    let order = shuffle(options.len(), seed ^ 0x5eed);
    let answer = order.iter().position(|index| *index == right).unwrap_or(0);
    Generated {
        id: format!("gen/{slug}/{seed}"),
        generator: slug,
        seed,
        kind: Kind::Single,
        difficulty,
        prompt,
        options: order.iter().map(|index| options[*index].clone()).collect(),
        key: Key::One(answer),
        unit: "",
        explanation,
        see: find(slug).map_or("/quiz", |generator| generator.see),
    }
}

fn shuffle(count: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..count).collect();
    let mut rng = SimRng::new(seed);
    for at in (1..count).rev() {
        order.swap(at, rng.below(at as u64 + 1) as usize);
    }
    order
}

fn capacity_inputs(daily_active_users: f64, actions_per_user: f64, read_write_ratio: f64, peak_factor: f64, write_bytes: f64, replication: f64) -> viz::capacity::Inputs {
    let mut inputs = viz::capacity::Design::from_template(&viz::capacity::TEMPLATES[0]).inputs;
    inputs.daily_active_users = daily_active_users;
    inputs.actions_per_user = actions_per_user;
    inputs.read_write_ratio = read_write_ratio;
    inputs.peak_factor = peak_factor;
    inputs.write_bytes = write_bytes;
    inputs.retention_days = 365.0;
    inputs.replication = replication;
    inputs
}

fn peak_qps(seed: u64) -> Generated {
    let mut rng = SimRng::new(seed);
    let users = pick(&mut rng, &[2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 300.0]) * 1e6;
    let actions = pick(&mut rng, &[5.0, 10.0, 20.0, 30.0, 50.0]);
    let peak = pick(&mut rng, &[2.0, 3.0, 5.0]);
    let plan = viz::capacity::Plan::new(&capacity_inputs(users, actions, 100.0, peak, 1_000.0, 3.0));
    let total_peak = plan.peak_read_qps + plan.peak_write_qps;
    number(
        "peak-qps",
        seed,
        Difficulty::Beginner,
        format!(
            "A service has {} daily active users, each making {} requests a day. Peak traffic is {}× the daily average. Estimate the peak requests per second (within 20%).",
            whole_number(users),
            whole_number(actions),
            whole_number(peak)
        ),
        total_peak,
        0.2,
        "requests per second",
        format!(
            "{} users × {} requests = {} requests a day. A day has 86,400 seconds, so the average is {} requests per second, and the peak is {}× that: about {} requests per second. Rounding a day to 100,000 seconds gives {}, still inside the band; forgetting the peak factor does not.",
            whole_number(users),
            whole_number(actions),
            whole_number(plan.requests_per_day),
            whole_number(plan.average_qps),
            whole_number(peak),
            whole_number(total_peak),
            whole_number(plan.requests_per_day / 100_000.0 * peak)
        ),
    )
}

fn storage_growth(seed: u64) -> Generated {
    let mut rng = SimRng::new(seed);
    let users = pick(&mut rng, &[1.0, 10.0, 50.0, 100.0, 500.0]) * 1e6;
    let writes = pick(&mut rng, &[1.0, 2.0, 5.0, 10.0]);
    let bytes = pick(&mut rng, &[500.0, 1_000.0, 2_000.0, 10_000.0]);
    let replication = pick(&mut rng, &[1.0, 3.0]);
    // All actions are writes here (read_write_ratio 0), so requests per day are writes per day.
    let plan = viz::capacity::Plan::new(&capacity_inputs(users, writes, 0.0, 1.0, bytes, replication));
    let terabytes = plan.stored_total / 1e12;
    let copies = if replication == 1.0 { "one copy".to_string() } else { format!("{} copies", whole_number(replication)) };
    number(
        "storage-growth",
        seed,
        Difficulty::Intermediate,
        format!(
            "{} users each write {} record{} a day of {} bytes. The store keeps {} of every record. How many terabytes (10^12 bytes) does one year of writes take (within 20%)?",
            whole_number(users),
            whole_number(writes),
            if writes == 1.0 { "" } else { "s" },
            whole_number(bytes),
            copies
        ),
        terabytes,
        0.2,
        "TB",
        format!(
            "{} writes a day × {} bytes = {} GB a day. Over 365 days that is {} TB, and keeping {copies} makes it {} TB. Forgetting the copies or counting a 30-day month as the year lands outside the band.",
            whole_number(plan.writes_per_day),
            whole_number(bytes),
            whole_number(plan.stored_per_day / 1e9),
            decimal(plan.stored_per_day * 365.0 / 1e12, 2),
            decimal(terabytes, 2)
        ),
    )
}

fn availability(seed: u64) -> Generated {
    use viz::availability::{Node, Period};
    let mut rng = SimRng::new(seed);
    let lb = pick(&mut rng, &[99.99, 99.95]);
    let app = pick(&mut rng, &[99.0, 99.5, 99.9]);
    let copies = pick(&mut rng, &[2usize, 3]);
    let db = pick(&mut rng, &[99.9, 99.95, 99.99]);
    let tree = Node::series(vec![
        Node::component("Load balancer", lb),
        Node::parallel((0..copies).map(|index| Node::component(&format!("App {}", index + 1), app)).collect()),
        Node::component("Database", db),
    ]);
    let total = tree.evaluate();
    let minutes = total.downtime_seconds(Period::Month) / 60.0;
    let app_group = 1.0 - (1.0 - app / 100.0).powi(copies as i32);
    number(
        "availability",
        seed,
        Difficulty::Intermediate,
        format!(
            "Requests pass a load balancer ({lb}% available), then any one of {copies} identical app servers ({app}% each, failing independently), then one database ({db}%). All three stages are needed. About how many minutes of downtime does that allow in a 30-day month (within 10%)?"
        ),
        minutes,
        0.1,
        "minutes per month",
        format!(
            "Parallel copies fail only together: the app tier is 1 − (1 − {})^{copies} = {}%. Stages in series multiply: {} × {} × {} = {}%. The month has 43,200 minutes, so the downtime is {} minutes. The database alone allows {} of them: the weakest stage in series sets the total.",
            decimal(app / 100.0, 4),
            decimal(app_group * 100.0, 6),
            decimal(lb / 100.0, 4),
            decimal(app_group, 6),
            decimal(db / 100.0, 4),
            decimal(total.percent(), 4),
            decimal(minutes, 1),
            decimal(43_200.0 * (1.0 - db / 100.0), 1)
        ),
    )
}

fn error_budget(seed: u64) -> Generated {
    use viz::slo::Config;
    let mut rng = SimRng::new(seed);
    let slo: f64 = pick(&mut rng, &[99.0, 99.5, 99.9, 99.95]);
    let error_percent = pick(&mut rng, &[5.0, 10.0, 20.0, 50.0, 100.0]);
    let allowed_ppb = ((100.0 - slo) * 1e7).round() as u64;
    let config = Config { allowed_ppb, window_minutes: 30 * 1_440, requests_per_second: 100, baseline_ppb: 0 };
    let budget = config.budget_minutes();
    // An incident that spends between a tenth and nine tenths of the budget.
    let share = (1 + rng.below(9)) as f64 / 10.0;
    let minutes = (budget * share / (error_percent / 100.0)).round().max(1.0);
    let spent = minutes * error_percent / 100.0;
    let left = (1.0 - spent / budget) * 100.0;
    number(
        "error-budget",
        seed,
        Difficulty::Advanced,
        format!(
            "A service's SLO is {slo}% of requests succeeding over 30 days, at a steady load. An incident fails {}% of requests for {} minutes; nothing else fails. What percentage of the 30-day error budget is left (within 5%)?",
            decimal(error_percent, 0),
            whole_number(minutes)
        ),
        left,
        0.05,
        "% of the budget",
        format!(
            "The budget is {}% of 30 days = {} minutes of total outage. The incident spent {} minutes × {}% = {} of those minutes, so {}% of the budget is left.",
            decimal(100.0 - slo, 2),
            decimal(budget, 1),
            whole_number(minutes),
            decimal(error_percent, 0),
            decimal(spent, 1),
            decimal(left, 1)
        ),
    )
}

fn token_bucket(seed: u64) -> Generated {
    use viz::limiters::{Rate, TokenBucket, TICKS_PER_SECOND};
    let mut rng = SimRng::new(seed);
    let capacity = pick(&mut rng, &[5u32, 10, 20]);
    let rate = pick(&mut rng, &[1u64, 2, 5]);
    let first = capacity + 2 + rng.below(capacity as u64) as u32;
    let wait = 1 + rng.below(4);
    let second = pick(&mut rng, &[5u32, 10, 20]);
    let mut bucket = TokenBucket::new(capacity, Rate::per_second(rate));
    let first_accepted = bucket.offer(0, first);
    let second_accepted = bucket.offer(wait * TICKS_PER_SECOND, second);
    let total = first_accepted + second_accepted;
    number(
        "token-bucket",
        seed,
        Difficulty::Intermediate,
        format!(
            "A token bucket holds at most {capacity} tokens and gains {rate} token{} per second; it starts full, and each request spends one token or is refused. {first} requests arrive at once, then {second} more arrive together {wait} second{} later. How many of the {} requests get through in all?",
            if rate == 1 { "" } else { "s" },
            if wait == 1 { "" } else { "s" },
            first + second
        ),
        f64::from(total),
        0.0,
        "requests",
        format!(
            "The full bucket lets {first_accepted} of the first {first} through and is then empty. In {wait} s it gains {} token{}, capped at {capacity}, so {second_accepted} of the next {second} get through: {total} in all. The burst the bucket absorbs is its capacity; after that, the rate is the refill.",
            (wait * rate).min(capacity as u64),
            if (wait * rate).min(capacity as u64) == 1 { "" } else { "s" }
        ),
    )
}

fn degrees(position: u64) -> u32 {
    (viz::ring::angle_fraction(position) * 360.0).floor() as u32
}

fn ring_owner(seed: u64) -> Generated {
    use viz::ring::{HashFunction, Ring};
    let mut attempt = seed;
    loop {
        let mut rng = SimRng::new(attempt);
        let nodes = 3 + rng.below(3) as usize;
        let ring = Ring::new(HashFunction::Murmur3, 1, nodes);
        let key = format!("user:{}", 1 + rng.below(9_999));
        let hash = HashFunction::Murmur3.hash(key.as_bytes());
        let mut points: Vec<(u32, String)> = ring.points().iter().map(|point| (degrees(point.position), point.node.to_string())).collect();
        points.sort();
        let key_degrees = degrees(hash);
        let distinct = points.windows(2).all(|pair| pair[0].0 + 2 <= pair[1].0) && points.iter().all(|(at, _)| at.abs_diff(key_degrees) >= 2);
        let Some(owner) = ring.owner_of(hash).map(|id| id.to_string()).filter(|_| distinct) else {
            attempt = attempt.wrapping_add(0x9e37_79b9);
            continue;
        };
        let positions: Vec<String> = points.iter().map(|(at, name)| format!("{name} at {at}°")).collect();
        let options: Vec<String> = ring.nodes().iter().map(|node| node.id.to_string()).collect();
        let right = options.iter().position(|name| *name == owner).unwrap_or(0);
        let wraps = points.iter().all(|(at, _)| *at < key_degrees);
        return single(
            "ring-owner",
            seed,
            Difficulty::Beginner,
            format!(
                "On a consistent-hashing ring (0° to 359°, clockwise), {}. The key `{key}` hashes to {key_degrees}°. Each key belongs to the first node at or after it, going clockwise. Which node stores `{key}`?",
                positions.join(", ")
            ),
            options,
            right,
            if wraps {
                format!("No node sits after {key_degrees}°, so the walk wraps past 359° to the first node on the ring: {owner}.")
            } else {
                format!("Walking clockwise from {key_degrees}°, the first node met is {owner}. The nodes before {key_degrees}° own the arcs behind the key, not the key.")
            },
        );
    }
}

fn modulo_moves(seed: u64) -> Generated {
    use viz::ring::{modulo_moved, HashFunction, Keys, Node, NodeId};
    let mut rng = SimRng::new(seed);
    let servers = 3 + rng.below(8) as u32;
    let keys = Keys::new(10_000, HashFunction::Murmur3);
    let nodes = |count: u32| -> Vec<Node> { (1..=count).map(|id| Node { id: NodeId(id), weight: 1 }).collect() };
    let moved = modulo_moved(&keys, &nodes(servers), &nodes(servers + 1));
    let expected = 10_000.0 * f64::from(servers) / f64::from(servers + 1);
    number(
        "modulo-moves",
        seed,
        Difficulty::Intermediate,
        format!(
            "10,000 keys are spread over {servers} cache servers with `server = hash(key) mod {servers}`. One server is added, so the rule becomes `mod {}`. About how many keys now map to a different server (within 10%)?",
            servers + 1
        ),
        moved as f64,
        0.1,
        "keys",
        format!(
            "A key stays put only when `hash mod {servers}` and `hash mod {}` agree, which happens for about 1 in {} keys. So about {}/{} of them move: {} expected, and {} moved in this run of the model. Consistent hashing would move only about 1/{} of them, {}.",
            servers + 1,
            servers + 1,
            servers,
            servers + 1,
            whole_number(expected),
            whole_number(moved as f64),
            servers + 1,
            whole_number(10_000.0 / f64::from(servers + 1))
        ),
    )
}

fn ring_join(seed: u64) -> Generated {
    use viz::ring::{assign_ring, HashFunction, Keys, Ring};
    let mut rng = SimRng::new(seed);
    let nodes = 4 + rng.below(7) as usize;
    let keys = Keys::new(10_000, HashFunction::Murmur3);
    let mut ring = Ring::new(HashFunction::Murmur3, 200, nodes);
    let before = assign_ring(&ring, &keys);
    let _ = ring.add_node();
    let after = assign_ring(&ring, &keys);
    let moved = after.moved_count_since(&before);
    let expected = 10_000.0 / (nodes as f64 + 1.0);
    number(
        "ring-join",
        seed,
        Difficulty::Intermediate,
        format!(
            "A consistent-hashing ring has {nodes} nodes with 200 virtual nodes each and holds 10,000 keys. One more node joins. About how many keys move to it (within 20%)?"
        ),
        moved as f64,
        0.2,
        "keys",
        format!(
            "With many virtual nodes each node owns about an equal share, so the newcomer takes about 1/{} of the keys, {}, all of them from the others; no other key moves. This ring moved {}. With `hash mod N` about {} would have moved.",
            nodes + 1,
            whole_number(expected),
            whole_number(moved as f64),
            whole_number(10_000.0 * nodes as f64 / (nodes as f64 + 1.0))
        ),
    )
}

fn cp_partition(seed: u64) -> Generated {
    use viz::cap::{Availability, CapAction, CapCluster, Side, CAP_PARAMS};
    use crate::sim::{Params, Simulation};
    let mut rng = SimRng::new(seed);
    let nodes = pick(&mut rng, &[3usize, 5]);
    let read = 1 + rng.below(nodes as u64) as usize;
    let write = 1 + rng.below(nodes as u64) as usize;
    let left = 1 + rng.below(nodes as u64 - 1) as usize;
    let mut params = Params::defaults(CAP_PARAMS);
    let _ = params.set_text("nodes", &nodes.to_string());
    let _ = params.set_text("mode", "cp");
    let _ = params.set_text("r", &read.to_string());
    let _ = params.set_text("w", &write.to_string());
    let mut cluster = CapCluster::new(&params, seed);
    cluster.apply(&CapAction::Partition { left });
    let sides = [(Side::Left, left), (Side::Right, nodes - left)];
    let mut options = Vec::new();
    let mut right = Vec::new();
    let mut reasons = Vec::new();
    for (side, count) in sides {
        for (what, refused, needs) in [
            ("A write", cluster.write_availability(side) == Availability::Refused, read.max(write)),
            ("A read", cluster.read_availability(side) == Availability::Refused, read),
        ] {
            if refused {
                right.push(options.len());
            }
            reasons.push(format!("{} from the {} side ({count} node{}) needs {needs}: {}", what.to_lowercase(), side.name(), if count == 1 { "" } else { "s" }, if refused { "refused" } else { "served" }));
            options.push(format!("{what} from the {} side", side.name()));
        }
    }
    options.push("None of them".to_string());
    if right.is_empty() {
        right.push(options.len() - 1);
    }
    Generated {
        id: format!("gen/cp-partition/{seed}"),
        generator: "cp-partition",
        seed,
        kind: Kind::Multiple,
        difficulty: Difficulty::Advanced,
        prompt: format!(
            "A CP store of {nodes} replicas reads from R = {read} and writes to W = {write} replicas; in this model a write first reads R replicas for the latest version, so it needs max(R, W) = {} reachable. A partition leaves {left} replica{} on the left and {} on the right, each side with its own client. Which requests are refused? Select all that apply.",
            read.max(write),
            if left == 1 { "" } else { "s" },
            nodes - left
        ),
        options,
        key: Key::Set(right),
        unit: "",
        explanation: format!("A CP store refuses rather than answer without its quorum: {}.", reasons.join("; ")),
        see: "/visualizers/cap-theorem",
    }
}

fn quorum_overlap(seed: u64) -> Generated {
    use viz::cap::Quorum;
    let mut rng = SimRng::new(seed);
    let nodes = pick(&mut rng, &[3usize, 5]);
    // One pair that overlaps and three that do not, all different.
    let mut pairs: Vec<(usize, usize)> = (1..=nodes).flat_map(|r| (1..=nodes).map(move |w| (r, w))).collect();
    let overlapping: Vec<(usize, usize)> = pairs.iter().copied().filter(|(r, w)| Quorum::new(nodes, *r, *w).overlaps()).collect();
    pairs.retain(|(r, w)| !Quorum::new(nodes, *r, *w).overlaps());
    let good = overlapping[rng.below(overlapping.len() as u64) as usize];
    let mut options = vec![good];
    while options.len() < 4 {
        let candidate = pairs[rng.below(pairs.len() as u64) as usize];
        if !options.contains(&candidate) {
            options.push(candidate);
        }
    }
    let texts: Vec<String> = options.iter().map(|(r, w)| format!("R = {r}, W = {w}")).collect();
    single(
        "quorum-overlap",
        seed,
        Difficulty::Beginner,
        format!("A store keeps {nodes} replicas of each key. Which read and write quorums guarantee that every read reaches at least one replica holding the latest acknowledged write?"),
        texts,
        0,
        format!(
            "Every read set meets every write set only when R + W > N: R = {}, W = {} gives {} > {nodes}. The others sum to {nodes} or less, so a read can land entirely on replicas the write never reached.",
            good.0,
            good.1,
            good.0 + good.1
        ),
    )
}

fn pkce_challenge(seed: u64) -> Generated {
    use base64::Engine as _;
    use sha2::{Digest, Sha256};
    let mut rng = SimRng::new(seed);
    let verifier = viz::oauth::generate_verifier(&mut rng);
    let challenge = viz::oauth::pkce_challenge(&verifier).unwrap_or_default();
    let digest = Sha256::digest(verifier.as_bytes());
    let options = vec![
        challenge.clone(),
        base64::engine::general_purpose::STANDARD.encode(digest),
        hex::encode(digest),
        verifier.clone(),
    ];
    single(
        "pkce-challenge",
        seed,
        Difficulty::Advanced,
        format!("A public client starts an OAuth authorization code flow with PKCE, method S256, and the code verifier `{verifier}`. Which value does it send as `code_challenge`?"),
        options,
        0,
        format!(
            "S256 is BASE64URL(SHA-256(verifier)) without padding (RFC 7636 §4.2): 43 characters, here `{challenge}`. The same digest in standard Base64 keeps `=` padding and may use `+` and `/`, hex is 64 characters, and sending the verifier itself is the `plain` method, which gives away the secret the flow protects."
        ),
    )
}

fn bloom_size(seed: u64) -> Generated {
    use viz::bloom::{optimal_bits, optimal_hashes};
    let mut rng = SimRng::new(seed);
    let items = pick(&mut rng, &[1u64, 5, 10, 50, 100]) * 1_000_000;
    let rate = pick(&mut rng, &[0.01, 0.001, 0.0001]);
    let bits = optimal_bits(items, rate);
    let megabytes = bits as f64 / 8.0 / 1e6;
    let per_item = bits as f64 / items as f64;
    number(
        "bloom-size",
        seed,
        Difficulty::Advanced,
        format!(
            "A Bloom filter must hold {} items with a false-positive rate of {}%, sized optimally. About how many megabytes (10^6 bytes) of bits does it need (within 10%)?",
            whole_number(items as f64),
            decimal(rate * 100.0, 2)
        ),
        megabytes,
        0.1,
        "MB",
        format!(
            "The optimal size is m = −n·ln(p) / (ln 2)² bits: {} bits per item at {}%, so {} bits, {} MB, with {} hash functions. Each tenfold cut in the false-positive rate costs about 4.8 more bits per item.",
            decimal(per_item, 1),
            decimal(rate * 100.0, 2),
            whole_number(bits as f64),
            decimal(megabytes, 2),
            optimal_hashes(bits, items)
        ),
    )
}

fn lru_eviction(seed: u64) -> Generated {
    use viz::eviction::{Kind as Policy, Policy as Cache};
    let mut rng = SimRng::new(seed);
    let letters = ['A', 'B', 'C', 'D', 'E'];
    // Three distinct keys fill the cache, a few hits reorder recency, then a fourth key arrives.
    let mut trace: Vec<u32> = vec![0, 1, 2];
    for _ in 0..(2 + rng.below(3)) {
        trace.push(rng.below(3) as u32);
    }
    trace.push(3);
    let mut cache = Cache::new(Policy::Lru, 3, seed);
    let mut evicted = Vec::new();
    for key in &trace {
        cache.access(*key, &mut evicted);
    }
    let victim = evicted.last().copied().unwrap_or(0);
    let sequence: Vec<String> = trace.iter().map(|key| letters[*key as usize].to_string()).collect();
    let options: Vec<String> = (0..3).map(|key| letters[key].to_string()).chain(["D".to_string()]).collect();
    let last_use = |key: u32| trace[..trace.len() - 1].iter().rposition(|k| *k == key).unwrap_or(0) + 1;
    single(
        "lru-eviction",
        seed,
        Difficulty::Beginner,
        format!("An LRU cache holds 3 keys and starts empty. It sees the requests {}. Which key does the last request, D, evict?", sequence.join(", ")),
        options,
        victim as usize,
        format!(
            "LRU evicts the key whose last use is oldest. Before D arrives, A was last used at request {}, B at {} and C at {}, so {} goes. D itself was not in the cache and cannot be evicted to make room for itself.",
            last_use(0),
            last_use(1),
            last_use(2),
            letters[victim as usize]
        ),
    )
}

#[cfg(test)]
mod tests;
