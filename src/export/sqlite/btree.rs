//! Pages and b-trees (https://www.sqlite.org/fileformat2.html, sections 1.5 and 1.6), built
//! bottom-up from entries that arrive already sorted, the way a bulk load would.
//!
//! Rules this module follows:
//! - 4096-byte pages, no reserved bytes, no free pages: every page belongs to a b-tree or to an
//!   overflow chain, so the file is exactly as long as its content needs.
//! - A node is filled greedily. Cells are written from the end of the page backwards, their
//!   pointers after the node header in key order, with no free blocks or fragments in between.
//! - Every interior node has at least one cell besides its right-most pointer (SQLite's own
//!   trees always do): a full node hands its last entry up rather than leaving the next node
//!   empty.
//! - Table trees keep every row in the leaves; an interior cell is (left child, largest rowid
//!   in it). Index trees keep each entry once: the entry between two leaves lives in their
//!   parent.
//! - A payload longer than the page allows keeps its first bytes in the cell and the rest in a
//!   chain of overflow pages (section 1.6 gives the sizes, computed below).

use super::record::{put_varint, varint_len};

pub const PAGE: usize = 4096;
/// The file header takes the first 100 bytes of page 1, whose b-tree is the schema table.
pub const FILE_HEADER: usize = 100;

const TABLE_LEAF: u8 = 0x0d;
const TABLE_INTERIOR: u8 = 0x05;
const INDEX_LEAF: u8 = 0x0a;
const INDEX_INTERIOR: u8 = 0x02;
const LEAF_HEADER: usize = 8;
const INTERIOR_HEADER: usize = 12;

/// The largest payload a table leaf cell holds whole: U - 35.
const MAX_LOCAL_TABLE: usize = PAGE - 35;
/// The same for index cells: (U - 12) * 64 / 255 - 23.
const MAX_LOCAL_INDEX: usize = (PAGE - 12) * 64 / 255 - 23;
/// The least a spilled payload keeps in its cell: (U - 12) * 32 / 255 - 23.
const MIN_LOCAL: usize = (PAGE - 12) * 32 / 255 - 23;

/// Pages per block of the file (1 MiB).
const BLOCK_PAGES: usize = 256;

/// The whole file, page by page; page `n` (1-based) starts at byte `(n - 1) * PAGE`. Kept in
/// blocks of [`BLOCK_PAGES`] zeroed pages, not one growing `Vec`: a `Vec` that doubles holds its
/// old and new buffers while it copies, 806 MB at the peak for the real-world profile's 346 MB
/// database (issue #18.1); blocks are copied once, into the file
/// ([`FileBlocks::into_vec`]), or not at all (the page's zip deflates them as they are).
///
/// Every page but page 1 is written as soon as it is numbered and never again (the trees are
/// built bottom-up; page 1, the schema's root, is written last). So once a block's last page is
/// numbered, the block is final, and the zip takes it away then ([`Pager::take_written`]):
/// the database is never held whole.
pub struct Pager {
    /// Block 0 (page 1 and those after it), then the blocks not taken, the first of them block
    /// number `first`.
    head: Box<[u8]>,
    tail: std::collections::VecDeque<Box<[u8]>>,
    first: usize,
    pages: u32,
}

/// A database file in the pager's blocks of [`BLOCK_PAGES`] pages: the first block, then those
/// not taken before (all of them unless [`Pager::take_written`] was used); the last one is cut
/// at the last page.
pub struct FileBlocks {
    blocks: Vec<Box<[u8]>>,
    len: usize,
}

impl FileBlocks {
    /// The file's bytes in order, block by block.
    pub fn parts(&self) -> Vec<&[u8]> {
        let mut left = self.len;
        self.blocks.iter().map(|b| {
            let take = left.min(b.len());
            left -= take;
            &b[..take]
        }).filter(|p| !p.is_empty()).collect()
    }

    /// The file's bytes in order, a `Vec` a block (the last one cut at the last page), never
    /// copied.
    pub fn into_parts(self) -> Vec<Vec<u8>> {
        let mut left = self.len;
        self.blocks.into_iter().map(|b| {
            let mut part = b.into_vec();
            part.truncate(left);
            left -= part.len();
            part
        }).filter(|p| !p.is_empty()).collect()
    }

    /// The file as one copy. Each block is dropped once copied.
    pub fn into_vec(self) -> Vec<u8> {
        let mut file = Vec::with_capacity(self.len);
        for block in self.blocks {
            let take = (self.len - file.len()).min(block.len());
            file.extend_from_slice(&block[..take]);
        }
        file
    }
}

impl Pager {
    /// Page 1 is reserved for the file header and the schema table's root.
    pub fn new() -> Self {
        Pager { head: block(), tail: Default::default(), first: 1, pages: 1 }
    }

    pub fn pages(&self) -> u32 {
        self.pages
    }

    fn alloc(&mut self) -> u32 {
        if self.pages as usize == (self.first + self.tail.len()) * BLOCK_PAGES {
            self.tail.push_back(block());
        }
        self.pages += 1;
        self.pages
    }

    /// Page `no` (1-based; page 1 holds the file header in its first 100 bytes). A page of a
    /// block taken away is never asked for again (see the type's rules).
    pub fn page(&mut self, no: u32) -> &mut [u8] {
        let at = no as usize - 1;
        let start = (at % BLOCK_PAGES) * PAGE;
        let block = match at / BLOCK_PAGES {
            0 => &mut self.head,
            b => &mut self.tail[b - self.first],
        };
        &mut block[start..start + PAGE]
    }

    /// The blocks after the first whose pages are all numbered, hence written for good, in
    /// order; taken away (the file then ends without them: the zip compressed them already).
    pub fn take_written(&mut self) -> Vec<Box<[u8]>> {
        let full = self.pages as usize / BLOCK_PAGES;
        let n = full.saturating_sub(self.first).min(self.tail.len());
        self.first += n;
        self.tail.drain(..n).collect()
    }

    /// The file as held: its blocks, never copied into one (the page's zip takes them so).
    pub fn into_blocks(self) -> FileBlocks {
        let len = self.pages as usize * PAGE - (self.first - 1) * BLOCK_PAGES * PAGE;
        let mut blocks = Vec::with_capacity(1 + self.tail.len());
        blocks.push(self.head);
        blocks.extend(self.tail);
        FileBlocks { len, blocks }
    }

    /// Append `payload` to a cell: whole when it fits, else its local part and the number of
    /// the first overflow page holding the rest.
    fn put_payload(&mut self, cell: &mut Vec<u8>, payload: &[u8], max_local: usize) {
        if payload.len() <= max_local {
            cell.extend_from_slice(payload);
            return;
        }
        let k = MIN_LOCAL + (payload.len() - MIN_LOCAL) % (PAGE - 4);
        let local = if k <= max_local { k } else { MIN_LOCAL };
        cell.extend_from_slice(&payload[..local]);
        let first = self.pages() + 1;
        let chunks = payload[local..].chunks(PAGE - 4);
        let n = chunks.len();
        for (i, chunk) in chunks.enumerate() {
            let no = self.alloc();
            // Each overflow page: the next page's number (0 on the last), then content.
            let next = if i + 1 < n { no + 1 } else { 0 };
            let page = self.page(no);
            page[..4].copy_from_slice(&next.to_be_bytes());
            page[4..4 + chunk.len()].copy_from_slice(chunk);
        }
        cell.extend_from_slice(&first.to_be_bytes());
    }

    fn write_node(&mut self, no: u32, kind: u8, cells: &[Vec<u8>], right: Option<u32>) {
        let offset = if no == 1 { FILE_HEADER } else { 0 };
        let header = if right.is_some() {
            INTERIOR_HEADER
        } else {
            LEAF_HEADER
        };
        let page = self.page(no);
        let mut content = PAGE;
        for (i, cell) in cells.iter().enumerate() {
            content -= cell.len();
            page[content..content + cell.len()].copy_from_slice(cell);
            let at = offset + header + 2 * i;
            page[at..at + 2].copy_from_slice(&(content as u16).to_be_bytes());
        }
        debug_assert!(
            offset + header + 2 * cells.len() <= content,
            "node overfull"
        );
        page[offset] = kind;
        page[offset + 3..offset + 5].copy_from_slice(&(cells.len() as u16).to_be_bytes());
        page[offset + 5..offset + 7].copy_from_slice(&(content as u16).to_be_bytes());
        if let Some(right) = right {
            page[offset + 8..offset + 12].copy_from_slice(&right.to_be_bytes());
        }
    }
}

/// A block of zeroed pages (a page is all zeros until written, as in a grown `Vec`).
fn block() -> Box<[u8]> {
    vec![0; BLOCK_PAGES * PAGE].into_boxed_slice()
}

/// Where a tree's root goes. The schema table's root must be page 1, under the file header;
/// its every node is then kept 100 bytes smaller, so that whichever node ends up the root fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Root {
    PageOne,
    NewPage,
}

impl Root {
    fn room(self) -> usize {
        match self {
            Root::PageOne => PAGE - FILE_HEADER,
            Root::NewPage => PAGE,
        }
    }

    fn page(self, pager: &mut Pager) -> u32 {
        match self {
            Root::PageOne => 1,
            Root::NewPage => pager.alloc(),
        }
    }
}

/// A table b-tree, fed rows in increasing rowid order; it borrows the pager only while it
/// writes, so a table may be written over many calls (the page's zip, a piece of rows at a time).
pub struct TableTree {
    root: Root,
    cells: Vec<Vec<u8>>,
    used: usize,
    last_rowid: i64,
    /// The written leaves: (page, largest rowid).
    leaves: Vec<(u32, i64)>,
}

impl TableTree {
    pub fn new(root: Root) -> Self {
        TableTree {
            root,
            cells: Vec::new(),
            used: LEAF_HEADER,
            last_rowid: 0,
            leaves: Vec::new(),
        }
    }

    pub fn push(&mut self, pager: &mut Pager, rowid: i64, record: &[u8]) {
        let mut cell = Vec::with_capacity(record.len().min(PAGE) + 18);
        put_varint(&mut cell, record.len() as u64);
        put_varint(&mut cell, rowid as u64);
        pager.put_payload(&mut cell, record, MAX_LOCAL_TABLE);
        if self.used + cell.len() + 2 > self.root.room() {
            let no = pager.alloc();
            pager.write_node(no, TABLE_LEAF, &self.cells, None);
            self.leaves.push((no, self.last_rowid));
            self.cells.clear();
            self.used = LEAF_HEADER;
        }
        self.used += cell.len() + 2;
        self.cells.push(cell);
        self.last_rowid = rowid;
    }

    /// Write what is left and the interior levels; the root's page number.
    pub fn finish(mut self, pager: &mut Pager) -> u32 {
        if self.leaves.is_empty() {
            let no = self.root.page(pager);
            pager.write_node(no, TABLE_LEAF, &self.cells, None);
            return no;
        }
        // Cells are never empty here: a leaf is written only when a new cell comes.
        let no = pager.alloc();
        pager.write_node(no, TABLE_LEAF, &self.cells, None);
        let mut level = std::mem::take(&mut self.leaves);
        level.push((no, self.last_rowid));
        loop {
            match table_level(pager, self.root, level) {
                Ok(root) => return root,
                Err(up) => level = up,
            }
        }
    }
}

/// One interior level over `children` (page, largest rowid): the root when they fit one node,
/// else the level above.
fn table_level(
    pager: &mut Pager,
    root: Root,
    children: Vec<(u32, i64)>,
) -> Result<u32, Vec<(u32, i64)>> {
    let cost = |key: i64| 4 + varint_len(key as u64) + 2;
    let cell = |(child, key): (u32, i64)| {
        let mut c = child.to_be_bytes().to_vec();
        put_varint(&mut c, key as u64);
        c
    };
    let Some((&last, inner)) = children.split_last() else {
        unreachable!("a level has children")
    };
    if INTERIOR_HEADER + inner.iter().map(|c| cost(c.1)).sum::<usize>() <= root.room() {
        let no = root.page(pager);
        let cells: Vec<Vec<u8>> = inner.iter().copied().map(cell).collect();
        pager.write_node(no, TABLE_INTERIOR, &cells, Some(last.0));
        return Ok(no);
    }
    // Greedy groups, each child counted as a cell (the right-most one needs none: slack).
    let mut groups: Vec<Vec<(u32, i64)>> = vec![Vec::new()];
    let mut used = INTERIOR_HEADER;
    for &child in &children {
        if used + cost(child.1) > root.room() {
            groups.push(Vec::new());
            used = INTERIOR_HEADER;
        }
        used += cost(child.1);
        groups.last_mut().expect("one group").push(child);
    }
    // A last group of one child would be a node without cells: it takes its neighbour's last.
    if let [.., before, last] = groups.as_mut_slice()
        && last.len() == 1
        && let Some(moved) = before.pop()
    {
        last.insert(0, moved);
    }
    let mut up = Vec::with_capacity(groups.len());
    for group in groups {
        let Some((&right, inner)) = group.split_last() else {
            continue;
        };
        let cells: Vec<Vec<u8>> = inner.iter().copied().map(cell).collect();
        let no = pager.alloc();
        pager.write_node(no, TABLE_INTERIOR, &cells, Some(right.0));
        up.push((no, right.1));
    }
    Err(up)
}

/// An index b-tree, fed records in index order.
pub struct IndexTree<'p> {
    pager: &'p mut Pager,
    cells: Vec<Vec<u8>>,
    used: usize,
    /// The written leaves, each with the entry that follows it (which lives in the parent).
    leaves: Vec<(u32, Vec<u8>)>,
}

impl<'p> IndexTree<'p> {
    pub fn new(pager: &'p mut Pager) -> Self {
        IndexTree {
            pager,
            cells: Vec::new(),
            used: LEAF_HEADER,
            leaves: Vec::new(),
        }
    }

    pub fn push(&mut self, record: &[u8]) {
        let mut cell = Vec::with_capacity(record.len().min(MAX_LOCAL_INDEX) + 13);
        put_varint(&mut cell, record.len() as u64);
        self.pager.put_payload(&mut cell, record, MAX_LOCAL_INDEX);
        if self.used + cell.len() + 2 > PAGE {
            // The full leaf's last entry goes up, so the next leaf starts with this one and no
            // leaf is ever empty. (A leaf holds at least three entries of at most ~1 KiB.)
            let divider = self.cells.pop().expect("a full leaf has entries");
            let no = self.pager.alloc();
            self.pager.write_node(no, INDEX_LEAF, &self.cells, None);
            self.leaves.push((no, divider));
            self.cells.clear();
            self.used = LEAF_HEADER;
        }
        self.used += cell.len() + 2;
        self.cells.push(cell);
    }

    pub fn finish(self) -> u32 {
        let no = self.pager.alloc();
        self.pager.write_node(no, INDEX_LEAF, &self.cells, None);
        let (mut pairs, mut last) = (self.leaves, no);
        while !pairs.is_empty() {
            (pairs, last) = index_level(self.pager, pairs, last);
        }
        last
    }
}

/// One interior level over children `pairs` (page, the entry after it) and `last`: the level
/// above, which is empty with `last` the root when everything fit one node.
fn index_level(
    pager: &mut Pager,
    pairs: Vec<(u32, Vec<u8>)>,
    last: u32,
) -> (Vec<(u32, Vec<u8>)>, u32) {
    let cost = |p: &(u32, Vec<u8>)| 4 + p.1.len() + 2;
    let cell = |(child, entry): &(u32, Vec<u8>)| {
        let mut c = child.to_be_bytes().to_vec();
        c.extend_from_slice(entry);
        c
    };
    let mut up = Vec::new();
    let mut group: Vec<(u32, Vec<u8>)> = Vec::new();
    let mut used = INTERIOR_HEADER;
    for pair in pairs {
        if used + cost(&pair) > PAGE {
            // As in the leaves: the node's last entry goes up, its child becomes the node's
            // right-most pointer.
            let (right, divider) = group.pop().expect("a full node has cells");
            let cells: Vec<Vec<u8>> = group.iter().map(cell).collect();
            let no = pager.alloc();
            pager.write_node(no, INDEX_INTERIOR, &cells, Some(right));
            up.push((no, divider));
            group.clear();
            used = INTERIOR_HEADER;
        }
        used += cost(&pair);
        group.push(pair);
    }
    let cells: Vec<Vec<u8>> = group.iter().map(cell).collect();
    let no = pager.alloc();
    pager.write_node(no, INDEX_INTERIOR, &cells, Some(last));
    (up, no)
}

#[cfg(test)]
mod tests;
