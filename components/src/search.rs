//! Instant fuzzy search over the catalogue: forgiving of word order, prefixes and one typo,
//! strict in that every word of the query must match something.

/// The events between a tool page's stand-in search button (islands' `site_search::stand_in`)
/// and the page's boot script (sitegen's `Shell::head_for`): the reader asked for the search, and
/// the core bundle that has it could not be loaded.
pub const LOAD_EVENT: &str = "atlas-search";
pub const FAILED_EVENT: &str = "atlas-search-failed";
/// Sent by a tool's bundle the first time the reader works a tool (islands'
/// `tracking::wake_core_on_use`): the boot script loads the core bundle, which records the page
/// and the tool, once the page is next idle rather than inside the reader's click.
pub const USE_EVENT: &str = "atlas-used";

/// Case and word boundaries are ASCII-only on purpose: the catalogue is English, and Unicode's
/// case and alphanumeric tables cost 5.7 KB gzipped in every bundle (the search runs on every
/// page; measured 2026-12). A letter outside ASCII separates words, the same way in the pages
/// and in the query, so "café" is found by "café" (both read as "caf").
fn fold(text: &str) -> String {
    text.to_ascii_lowercase()
}

/// One searchable page, with its fields lowercased once up front.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchDoc {
    title: String,
    title_words: Vec<String>,
    tags: Vec<String>,
    tag_words: Vec<String>,
    summary_words: Vec<String>,
    keywords: String,
}

impl SearchDoc {
    /// `keywords` holds extra text matched loosely: the ID, the category, the kind.
    pub fn new(title: &str, tags: &[String], summary: &str, keywords: &str) -> Self {
        let title = fold(title);
        let tags: Vec<String> = tags.iter().map(|tag| fold(tag)).collect();
        Self {
            title_words: words(&title),
            tag_words: tags.iter().flat_map(|tag| words(tag)).collect(),
            tags,
            summary_words: words(&fold(summary)),
            keywords: fold(keywords),
            title,
        }
    }

    /// How well the document matches `query`; `None` when some query word matches nothing.
    pub fn score(&self, query: &str) -> Option<u32> {
        let query = fold(query.trim());
        let terms = words(&query);
        if terms.is_empty() {
            return None;
        }
        let mut total = 0;
        for term in &terms {
            let best = self.term_score(term);
            if best == 0 {
                return None;
            }
            total += best;
        }
        if self.title.starts_with(&query) {
            total += 40;
        }
        Some(total)
    }

    fn term_score(&self, term: &str) -> u32 {
        let mut best = 0;
        let mut consider = |score: u32| best = best.max(score);
        for word in &self.title_words {
            if word == term {
                consider(100);
            } else if word.starts_with(term) {
                consider(70);
            } else if close_enough(word, term) {
                consider(35);
            }
        }
        if self.title.contains(term) {
            consider(50);
        }
        if self.tags.iter().any(|tag| tag == term) {
            consider(85);
        }
        for word in &self.tag_words {
            if word == term {
                consider(75);
            } else if word.starts_with(term) {
                consider(55);
            } else if close_enough(word, term) {
                consider(30);
            }
        }
        if self.tags.iter().any(|tag| tag.contains(term)) {
            consider(40);
        }
        if self.keywords.contains(term) {
            consider(30);
        }
        for word in &self.summary_words {
            if word == term {
                consider(25);
            } else if term.len() >= 3 && word.starts_with(term) {
                consider(15);
            }
        }
        best
    }
}

impl AsRef<SearchDoc> for SearchDoc {
    fn as_ref(&self) -> &SearchDoc {
        self
    }
}

/// The indices of the best matches, best first; ties keep catalogue order.
pub fn search<T: AsRef<SearchDoc>>(docs: &[T], query: &str, limit: usize) -> Vec<usize> {
    // The best `limit` kept in order as the documents go by, instead of sorting every hit: the
    // same result, and no sort routine in the WebAssembly of every page (2.5 KB before gzip).
    let mut best: Vec<(usize, u32)> = Vec::with_capacity(limit + 1);
    for (index, doc) in docs.iter().enumerate() {
        let Some(score) = doc.as_ref().score(query) else { continue };
        // After every kept hit with a higher or equal score: ties keep catalogue order.
        let at = best.partition_point(|&(_, kept)| kept >= score);
        if at < limit {
            best.insert(at, (index, score));
            best.truncate(limit);
        }
    }
    best.into_iter().map(|(index, _)| index).collect()
}

fn words(text: &str) -> Vec<String> {
    text.split(|ch: char| !ch.is_ascii_alphanumeric()).filter(|word| !word.is_empty()).map(str::to_string).collect()
}

/// One edit apart (two for long words): typos like "thundring" still find "thundering".
fn close_enough(word: &str, term: &str) -> bool {
    let allowed = match term.chars().count() {
        0..=3 => return false,
        4..=7 => 1,
        _ => 2,
    };
    let (a, b): (Vec<char>, Vec<char>) = (word.chars().collect(), term.chars().collect());
    if a.len().abs_diff(b.len()) > allowed {
        return false;
    }
    edit_distance(&a, &b) <= allowed
}

fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {

    #[test]
    fn case_folds_and_letters_outside_ascii_split_words_alike_in_page_and_query() {
        let doc = SearchDoc::new("Café Sharding", &[], "Über-fast reads", "");
        assert!(doc.score("sharding").is_some() && doc.score("SHARDING").is_some());
        assert!(doc.score("café").is_some(), "the query splits where the title does");
        assert!(doc.score("ber fast").is_some());
        assert!(doc.score("zebra").is_none());
    }

    use super::*;

    fn docs() -> Vec<SearchDoc> {
        let tags = |list: &[&str]| list.iter().map(|tag| tag.to_string()).collect::<Vec<_>>();
        vec![
            SearchDoc::new("Cache penetration", &tags(&["bloom filter", "missing keys"]), "Requests for keys that do not exist.", "CACHE-002 Caching pattern"),
            SearchDoc::new("Thundering herd", &tags(&["stampede", "dogpile", "cache expiry"]), "A hot key expires and every client rebuilds it.", "CACHE-001 Caching pattern"),
            SearchDoc::new("Session vs cookie vs token", &tags(&["jwt", "session", "cookies"]), "Where login state lives.", "SEC-002 Security pattern"),
            SearchDoc::new("Data Architecture & Storage", &tags(&["Distributed consensus: Raft and Paxos"]), "Pick, structure, replicate.", "M03 module"),
        ]
    }

    fn first(query: &str) -> Option<usize> {
        search(&docs(), query, 5).first().copied()
    }

    #[test]
    fn finds_pages_by_title_tag_and_synonym() {
        assert_eq!(first("stampede"), Some(1));
        assert_eq!(first("thundering"), Some(1));
        assert_eq!(first("herd"), Some(1));
        assert_eq!(first("jwt"), Some(2));
        assert_eq!(first("raft"), Some(3));
        assert_eq!(first("CACHE-002"), Some(0));
    }

    #[test]
    fn tolerates_a_typo_and_a_prefix() {
        assert_eq!(first("thundring"), Some(1));
        assert_eq!(first("penet"), Some(0));
    }

    #[test]
    fn every_word_must_match() {
        assert_eq!(search(&docs(), "herd bloom", 5), Vec::<usize>::new());
        assert_eq!(search(&docs(), "   ", 5), Vec::<usize>::new());
        assert_eq!(search(&docs(), "zzzz", 5), Vec::<usize>::new());
    }

    #[test]
    fn title_matches_outrank_summary_matches() {
        let results = search(&docs(), "cache", 5);
        assert_eq!(results.first(), Some(&0), "{results:?}");
        assert!(results.contains(&1));
    }

    proptest::proptest! {
        /// The kept-best search gives what sorting every hit would: best first, ties in catalogue order.
        #[test]
        fn search_keeps_the_best_in_order_like_a_full_sort(titles in proptest::collection::vec("(cache|cash|queue|shard|raft|rate) ?(limit|ring|herd|log)?", 0..40), limit in 0usize..10) {
            let docs: Vec<SearchDoc> = titles.iter().map(|title| SearchDoc::new(title, &[], "", "")).collect();
            for query in ["cache", "ring", "rate limit", "shard log", "zzz"] {
                let mut all: Vec<(usize, u32)> = docs.iter().enumerate().filter_map(|(index, doc)| doc.score(query).map(|score| (index, score))).collect();
                all.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                let expected: Vec<usize> = all.into_iter().take(limit).map(|(index, _)| index).collect();
                proptest::prop_assert_eq!(search(&docs, query, limit), expected);
            }
        }
    }

    #[test]
    fn edit_distance_counts_edits() {
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(edit_distance(&chars("kitten"), &chars("sitting")), 3);
        assert_eq!(edit_distance(&chars(""), &chars("abc")), 3);
        assert!(close_enough("thundering", "thundring"));
        assert!(!close_enough("raft", "ra"));
    }
}
