//! The B-tree engine: a B+tree of fixed-size pages, updated in place. Leaves hold the records;
//! internal pages hold separators and child pointers (child `i` holds the keys from separator
//! `i - 1` up to, not including, separator `i`). Every page holds at most `capacity` keys and,
//! except the root, at least `capacity / 2`: an insert into a full page splits it in two and
//! pushes a separator up (a full root grows the tree by a level), and a delete that leaves a
//! page under the minimum borrows a key from a sibling or, if neither can spare one, merges
//! with a sibling and takes a separator out of the parent (a root left with one child is
//! dropped, and the tree shrinks by a level). The root may hold anything from 0 keys (an empty
//! leaf) to `capacity`, and an internal root at least one separator. That is the textbook B+tree
//! (Comer's "The Ubiquitous B-Tree", 1979, and Knuth's TAOCP vol. 3, §6.2.4).
//!
//! Costs are counted the simple way: every page an operation changes is written once, whole,
//! before the operation returns (no buffer pool to gather several changes to a page into one
//! write). Reads report the pages they visit; which of those come from disk is for the model to
//! say (see `storage`).

use super::{Key, Value};

/// A page's key range: from the first number up to, not including, the second.
pub type KeyRange = (u16, u16);

/// What happened to a page lately, for the stage, in rising order of note: when an operation
/// changes a page twice, the stage shows the more notable change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// A record was written into it, or a separator taken out of it.
    Written,
    /// A split below pushed a separator up into it.
    Separator,
    /// It took a sibling's keys in a merge, or lent or borrowed a key to stay at its minimum.
    Rebalanced,
    /// It was made by a split (the new right half), or is the new root above one.
    Split,
}

#[derive(Debug, Clone, PartialEq)]
enum Body {
    /// The values, one per key.
    Leaf(Vec<Value>),
    /// Indices of the children in the arena, one more than the keys.
    Internal(Vec<usize>),
}

#[derive(Debug, Clone, PartialEq)]
struct Page {
    /// A number for the stage, never reused.
    id: u32,
    keys: Vec<Key>,
    body: Body,
    /// The tick it was last written (never, for the first root), and why.
    changed: Option<u32>,
    change: Change,
}

/// What one write did to the tree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Effect {
    /// The pages written, each once (by id).
    pub written: Vec<u32>,
    pub splits: u32,
    /// Merges of two pages into one.
    pub merges: u32,
    /// Keys borrowed from a sibling to keep a page at its minimum.
    pub borrows: u32,
    /// The last separator a split pushed up.
    pub separator: Option<Key>,
    /// The root split and the tree grew a level, or lost its last separator and shrank one.
    pub grew: bool,
    pub shrank: bool,
    /// The key was there (for an insert: it was overwritten; for a delete: it was removed).
    pub found: bool,
}

/// One page as the stage draws it: its place in the key space and how full it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageView {
    pub id: u32,
    /// The keys it may hold: from `lower` up to, not including, `upper` (the key space's end
    /// for the rightmost pages).
    pub lower: u16,
    pub upper: u16,
    pub keys: u32,
    pub changed: Option<u32>,
    pub change: Change,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BTree {
    capacity: usize,
    /// Pages by index; a freed page's slot is `None` until a split reuses it.
    pages: Vec<Option<Page>>,
    free: Vec<usize>,
    root: usize,
    height: u32,
    next_id: u32,
    len: usize,
}

impl BTree {
    /// An empty tree (one empty leaf as its root) of pages holding `capacity` keys (at least 4,
    /// so that a non-root page's minimum, half of that, is at least 2).
    pub fn new(capacity: usize) -> Self {
        let root = Page { id: 0, keys: Vec::new(), body: Body::Leaf(Vec::new()), changed: None, change: Change::Written };
        Self { capacity: capacity.max(4), pages: vec![Some(root)], free: Vec::new(), root: 0, height: 1, next_id: 1, len: 0 }
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The fewest keys a page other than the root may hold.
    pub fn min_keys(&self) -> usize {
        self.capacity / 2
    }

    /// Levels from the root to the leaves (1 for a lone leaf).
    pub fn height(&self) -> u32 {
        self.height
    }

    /// Records stored.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Pages in use.
    pub fn pages(&self) -> usize {
        self.pages.len() - self.free.len()
    }

    fn page(&self, at: usize) -> &Page {
        self.pages[at].as_ref().expect("a live page")
    }

    fn page_mut(&mut self, at: usize) -> &mut Page {
        self.pages[at].as_mut().expect("a live page")
    }

    fn children(&self, at: usize) -> Option<&[usize]> {
        match &self.page(at).body {
            Body::Internal(children) => Some(children),
            Body::Leaf(_) => None,
        }
    }

    /// The child of an internal page whose range holds `key`.
    fn slot(keys: &[Key], key: Key) -> usize {
        keys.partition_point(|separator| *separator <= key)
    }

    /// The value of `key`, and the pages visited to find it (one per level).
    pub fn get(&self, key: Key) -> (Option<Value>, u32) {
        let mut at = self.root;
        let mut visited = 1;
        loop {
            let page = self.page(at);
            match &page.body {
                Body::Internal(children) => {
                    at = children[Self::slot(&page.keys, key)];
                    visited += 1;
                }
                Body::Leaf(values) => return (page.keys.binary_search(&key).ok().map(|index| values[index]), visited),
            }
        }
    }

    /// The records with keys from `low` to `high` inclusive, in order, and the key ranges of the
    /// leaves read for them, in order (the rightmost leaf's range ends at `u16::MAX`, past every
    /// key): the leaf holding `low`, then each next leaf (following the leaves' sibling links)
    /// until one reaches past `high`. The internal pages passed on the way down to the first leaf
    /// are `height() - 1` more.
    pub fn scan(&self, low: Key, high: Key) -> (Vec<(Key, Value)>, Vec<KeyRange>) {
        let mut found = Vec::new();
        let mut leaves = Vec::new();
        self.scan_from(self.root, 0, u16::MAX, low, high, &mut found, &mut leaves);
        (found, leaves)
    }

    #[allow(clippy::too_many_arguments)]
    fn scan_from(&self, at: usize, lower: u16, upper: u16, low: Key, high: Key, found: &mut Vec<(Key, Value)>, leaves: &mut Vec<KeyRange>) {
        let page = self.page(at);
        match &page.body {
            Body::Leaf(values) => {
                leaves.push((lower, upper));
                found.extend(page.keys.iter().zip(values).filter(|(key, _)| (low..=high).contains(*key)).map(|(key, value)| (*key, *value)));
            }
            Body::Internal(children) => {
                for (index, child) in children.iter().enumerate() {
                    let from = if index == 0 { lower } else { u16::from(page.keys[index - 1]) };
                    let to = page.keys.get(index).map_or(upper, |separator| u16::from(*separator));
                    if from <= u16::from(high) && to > u16::from(low) {
                        self.scan_from(*child, from, to, low, high, found, leaves);
                    }
                }
            }
        }
    }

    /// Marks page `at` written by this operation (once, however often it changes).
    fn touch(&mut self, at: usize, now: u32, change: Change, effect: &mut Effect) {
        let page = self.page_mut(at);
        if page.changed != Some(now) || page.change < change {
            page.change = change;
        }
        page.changed = Some(now);
        let id = page.id;
        if !effect.written.contains(&id) {
            effect.written.push(id);
        }
    }

    /// A new page, written by this operation.
    fn allocate(&mut self, keys: Vec<Key>, body: Body, now: u32, effect: &mut Effect) -> usize {
        let page = Page { id: self.next_id, keys, body, changed: Some(now), change: Change::Split };
        effect.written.push(self.next_id);
        self.next_id += 1;
        match self.free.pop() {
            Some(at) => {
                self.pages[at] = Some(page);
                at
            }
            None => {
                self.pages.push(Some(page));
                self.pages.len() - 1
            }
        }
    }

    fn release(&mut self, at: usize) {
        self.pages[at] = None;
        self.free.push(at);
    }

    /// Writes `value` under `key`, inserting or overwriting.
    pub fn put(&mut self, key: Key, value: Value, now: u32) -> Effect {
        let mut effect = Effect::default();
        if let Some((separator, right)) = self.insert_into(self.root, key, value, now, &mut effect) {
            let old = self.root;
            self.root = self.allocate(vec![separator], Body::Internal(vec![old, right]), now, &mut effect);
            self.height += 1;
            effect.grew = true;
        }
        if !effect.found {
            self.len += 1;
        }
        effect
    }

    /// Inserts below page `at`; a page that overflows splits, and its new right sibling comes
    /// back with the separator its parent needs.
    fn insert_into(&mut self, at: usize, key: Key, value: Value, now: u32, effect: &mut Effect) -> Option<(Key, usize)> {
        let page = self.page_mut(at);
        match &mut page.body {
            Body::Leaf(values) => {
                match page.keys.binary_search(&key) {
                    Ok(index) => {
                        values[index] = value;
                        effect.found = true;
                    }
                    Err(index) => {
                        page.keys.insert(index, key);
                        values.insert(index, value);
                    }
                }
            }
            Body::Internal(children) => {
                let slot = Self::slot(&page.keys, key);
                let child = children[slot];
                let (separator, right) = self.insert_into(child, key, value, now, effect)?;
                let page = self.page_mut(at);
                page.keys.insert(slot, separator);
                if let Body::Internal(children) = &mut page.body {
                    children.insert(slot + 1, right);
                }
                self.touch(at, now, Change::Separator, effect);
            }
        }
        self.touch(at, now, Change::Written, effect);
        (self.page(at).keys.len() > self.capacity).then(|| self.split(at, now, effect))
    }

    /// Splits an overfull page in two: the lower half stays, the upper half goes to a new page.
    /// A leaf copies its new right page's first key up as the separator; an internal page moves
    /// its middle key up.
    fn split(&mut self, at: usize, now: u32, effect: &mut Effect) -> (Key, usize) {
        let page = self.page_mut(at);
        let middle = page.keys.len() / 2;
        let (separator, keys, body) = match &mut page.body {
            Body::Leaf(values) => {
                let keys = page.keys.split_off(middle);
                (keys[0], keys, Body::Leaf(values.split_off(middle)))
            }
            Body::Internal(children) => {
                let mut keys = page.keys.split_off(middle);
                let separator = keys.remove(0);
                (separator, keys, Body::Internal(children.split_off(middle + 1)))
            }
        };
        let right = self.allocate(keys, body, now, effect);
        effect.splits += 1;
        effect.separator = Some(separator);
        (separator, right)
    }

    /// Removes `key` if it is there.
    pub fn delete(&mut self, key: Key, now: u32) -> Effect {
        let mut effect = Effect::default();
        if !self.delete_from(self.root, key, now, &mut effect) {
            return effect;
        }
        effect.found = true;
        self.len -= 1;
        let root = self.root;
        if let Some(&[only]) = self.children(root) {
            // The old root is freed, not written.
            let id = self.page(root).id;
            effect.written.retain(|written| *written != id);
            self.root = only;
            self.release(root);
            self.height -= 1;
            effect.shrank = true;
        }
        effect
    }

    /// Deletes below page `at`; a child left under the minimum is put right before returning.
    fn delete_from(&mut self, at: usize, key: Key, now: u32, effect: &mut Effect) -> bool {
        let page = self.page_mut(at);
        match &mut page.body {
            Body::Leaf(values) => {
                let Ok(index) = page.keys.binary_search(&key) else { return false };
                page.keys.remove(index);
                values.remove(index);
                self.touch(at, now, Change::Written, effect);
                true
            }
            Body::Internal(children) => {
                let slot = Self::slot(&page.keys, key);
                let child = children[slot];
                if !self.delete_from(child, key, now, effect) {
                    return false;
                }
                if self.page(child).keys.len() < self.min_keys() {
                    self.rebalance(at, slot, now, effect);
                }
                true
            }
        }
    }

    /// Brings child `slot` of `parent` back to its minimum: a key from a sibling that can spare
    /// one (the left first), else a merge with a sibling.
    fn rebalance(&mut self, parent: usize, slot: usize, now: u32, effect: &mut Effect) {
        let children = self.children(parent).expect("a parent is internal").to_vec();
        let min = self.min_keys();
        let (left, right) = (slot.checked_sub(1).map(|index| children[index]), children.get(slot + 1).copied());
        let spare_left = left.filter(|left| self.page(*left).keys.len() > min);
        let spare_right = right.filter(|right| self.page(*right).keys.len() > min);
        let child = children[slot];
        let sibling = if let Some(left) = spare_left {
            self.borrow_from_left(parent, slot, left, child);
            left
        } else if let Some(right) = spare_right {
            self.borrow_from_right(parent, slot, child, right);
            right
        } else {
            let at = if left.is_some() { slot - 1 } else { slot };
            self.merge(parent, at, children[at], children[at + 1], now, effect);
            return;
        };
        effect.borrows += 1;
        self.touch(child, now, Change::Rebalanced, effect);
        self.touch(sibling, now, Change::Rebalanced, effect);
        self.touch(parent, now, Change::Written, effect);
    }

    fn borrow_from_left(&mut self, parent: usize, slot: usize, left: usize, child: usize) {
        let separator = self.page(parent).keys[slot - 1];
        let left_page = self.page_mut(left);
        let key = left_page.keys.pop().expect("a sibling with keys to spare");
        let moved = match &mut left_page.body {
            Body::Leaf(values) => Body::Leaf(vec![values.pop().expect("a value per key")]),
            Body::Internal(children) => Body::Internal(vec![children.pop().expect("a child per key")]),
        };
        let child_page = self.page_mut(child);
        // A leaf takes the record and the separator becomes its new first key; an internal page
        // takes the old separator, and the sibling's last key goes up in its place.
        let up = match (&mut child_page.body, moved) {
            (Body::Leaf(values), Body::Leaf(moved)) => {
                child_page.keys.insert(0, key);
                values.insert(0, moved[0]);
                key
            }
            (Body::Internal(children), Body::Internal(moved)) => {
                child_page.keys.insert(0, separator);
                children.insert(0, moved[0]);
                key
            }
            _ => unreachable!("siblings are at the same depth"),
        };
        self.page_mut(parent).keys[slot - 1] = up;
    }

    fn borrow_from_right(&mut self, parent: usize, slot: usize, child: usize, right: usize) {
        let separator = self.page(parent).keys[slot];
        let right_page = self.page_mut(right);
        let key = right_page.keys.remove(0);
        let moved = match &mut right_page.body {
            Body::Leaf(values) => Body::Leaf(vec![values.remove(0)]),
            Body::Internal(children) => Body::Internal(vec![children.remove(0)]),
        };
        let leaf = matches!(moved, Body::Leaf(_));
        let up = if leaf { right_page.keys[0] } else { key };
        let child_page = self.page_mut(child);
        match (&mut child_page.body, moved) {
            (Body::Leaf(values), Body::Leaf(moved)) => {
                child_page.keys.push(key);
                values.push(moved[0]);
            }
            (Body::Internal(children), Body::Internal(moved)) => {
                child_page.keys.push(separator);
                children.push(moved[0]);
            }
            _ => unreachable!("siblings are at the same depth"),
        }
        self.page_mut(parent).keys[slot] = up;
    }

    /// Merges child `at + 1` of `parent` into child `at`, taking their separator out of the
    /// parent (an internal pair keeps it, between the two halves).
    fn merge(&mut self, parent: usize, at: usize, left: usize, right: usize, now: u32, effect: &mut Effect) {
        let separator = self.page_mut(parent).keys.remove(at);
        if let Body::Internal(children) = &mut self.page_mut(parent).body {
            children.remove(at + 1);
        }
        let gone = self.pages[right].take().expect("a live sibling");
        self.free.push(right);
        let left_page = self.page_mut(left);
        match (&mut left_page.body, gone.body) {
            (Body::Leaf(values), Body::Leaf(more)) => {
                left_page.keys.extend(gone.keys);
                values.extend(more);
            }
            (Body::Internal(children), Body::Internal(more)) => {
                left_page.keys.push(separator);
                left_page.keys.extend(gone.keys);
                children.extend(more);
            }
            _ => unreachable!("siblings are at the same depth"),
        }
        effect.merges += 1;
        self.touch(left, now, Change::Rebalanced, effect);
        self.touch(parent, now, Change::Written, effect);
    }

    /// The pages level by level from the root, each level in key order, with the key range each
    /// may hold (the rightmost reach `end`, the size of the key space).
    pub fn levels(&self, end: u16) -> Vec<Vec<PageView>> {
        let mut levels: Vec<Vec<PageView>> = Vec::with_capacity(self.height as usize);
        let mut row = vec![(self.root, 0u16, end)];
        while !row.is_empty() {
            let mut next = Vec::new();
            let mut views = Vec::with_capacity(row.len());
            for (at, lower, upper) in row {
                let page = self.page(at);
                views.push(PageView { id: page.id, lower, upper, keys: page.keys.len() as u32, changed: page.changed, change: page.change });
                if let Body::Internal(children) = &page.body {
                    for (index, child) in children.iter().enumerate() {
                        let from = if index == 0 { lower } else { u16::from(page.keys[index - 1]) };
                        let to = page.keys.get(index).map_or(upper, |separator| u16::from(*separator));
                        next.push((*child, from, to));
                    }
                }
            }
            levels.push(views);
            row = next;
        }
        levels
    }

    /// Every rule of a B+tree, checked from the root: the same depth for every leaf, keys
    /// sorted within and across pages, each key inside the range its parent's separators give
    /// its page, every page but the root between the minimum and the capacity, an internal root
    /// with at least one separator, a child per separator plus one, and the counts kept in step.
    #[cfg(test)]
    pub(crate) fn check(&self) -> Result<(), String> {
        let mut leaves_at = None;
        let mut keys = Vec::new();
        let mut reached = 0;
        self.check_page(self.root, 1, None, None, &mut leaves_at, &mut keys, &mut reached)?;
        if keys.windows(2).any(|pair| pair[0] >= pair[1]) {
            return Err(format!("keys out of order across pages: {keys:?}"));
        }
        if keys.len() != self.len {
            return Err(format!("{} keys reached, {} counted", keys.len(), self.len));
        }
        if reached != self.pages() {
            return Err(format!("{reached} pages reached, {} in use", self.pages()));
        }
        if leaves_at != Some(self.height) {
            return Err(format!("leaves at depth {leaves_at:?}, height {}", self.height));
        }
        Ok(())
    }

    #[cfg(test)]
    #[allow(clippy::too_many_arguments)]
    fn check_page(&self, at: usize, depth: u32, lower: Option<Key>, upper: Option<Key>, leaves_at: &mut Option<u32>, keys: &mut Vec<Key>, reached: &mut usize) -> Result<(), String> {
        let page = self.page(at);
        *reached += 1;
        let count = page.keys.len();
        let root = at == self.root;
        if count > self.capacity || (!root && count < self.min_keys()) {
            return Err(format!("page {} holds {count} keys (capacity {}, minimum {})", page.id, self.capacity, self.min_keys()));
        }
        if page.keys.windows(2).any(|pair| pair[0] >= pair[1]) {
            return Err(format!("page {} is not sorted: {:?}", page.id, page.keys));
        }
        if page.keys.iter().any(|key| lower.is_some_and(|low| *key < low) || upper.is_some_and(|high| *key >= high)) {
            return Err(format!("page {} has keys {:?} outside [{lower:?}, {upper:?})", page.id, page.keys));
        }
        match &page.body {
            Body::Leaf(values) => {
                if values.len() != count {
                    return Err(format!("leaf {} has {count} keys and {} values", page.id, values.len()));
                }
                if leaves_at.is_some_and(|depth_seen| depth_seen != depth) {
                    return Err(format!("leaf {} at depth {depth}, another at {leaves_at:?}", page.id));
                }
                *leaves_at = Some(depth);
                keys.extend(&page.keys);
            }
            Body::Internal(children) => {
                if count == 0 || children.len() != count + 1 {
                    return Err(format!("internal page {} has {count} keys and {} children", page.id, children.len()));
                }
                for (index, child) in children.iter().enumerate() {
                    let from = if index == 0 { lower } else { Some(page.keys[index - 1]) };
                    let to = page.keys.get(index).copied().or(upper);
                    self.check_page(*child, depth + 1, from, to, leaves_at, keys, reached)?;
                }
            }
        }
        Ok(())
    }
}
