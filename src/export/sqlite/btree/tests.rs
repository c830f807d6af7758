//! The pager and its blocks: spill sizes, blocks across the file, blocks taken as written.

use super::*;

#[test]
fn spill_sizes_follow_the_file_format() {
    // U = 4096: X = 4061 for table leaves, 1002 for index cells, M = 489.
    assert_eq!(
        (MAX_LOCAL_TABLE, MAX_LOCAL_INDEX, MIN_LOCAL),
        (4061, 1002, 489)
    );
    let mut pager = Pager::new();
    let mut cell = Vec::new();
    let payload: Vec<u8> = (0..10_000u32).map(|i| i as u8).collect();
    pager.put_payload(&mut cell, &payload, MAX_LOCAL_TABLE);
    // K = 489 + (10000 - 489) % 4092 = 489 + 1327 = 1816 <= 4061: 1816 bytes stay local,
    // 8184 = 2 * 4092 fill exactly two overflow pages.
    assert_eq!(cell.len(), 1816 + 4);
    assert_eq!(&cell[1816..], &2u32.to_be_bytes());
    assert_eq!(pager.pages(), 3);
    let file = pager.into_blocks().into_vec();
    assert_eq!(file.len(), 3 * PAGE);
    assert_eq!(&file[PAGE..PAGE + 4], &3u32.to_be_bytes());
    assert_eq!(&file[2 * PAGE..2 * PAGE + 4], &0u32.to_be_bytes());
    assert_eq!(file[2 * PAGE + 4 + 4091], payload[9999]);
}

/// Blocks taken away as they are written, then the first block and those left, make the
/// file a pager that kept everything makes.
#[test]
fn blocks_taken_as_written_make_the_same_file() {
    let fill = |pager: &mut Pager, upto: usize, taken: &mut Vec<Box<[u8]>>, take: bool| {
        while (pager.pages() as usize) < upto {
            let no = pager.alloc();
            pager.page(no)[..4].copy_from_slice(&no.to_be_bytes());
            if take && no.is_multiple_of(97) {
                taken.extend(pager.take_written());
            }
        }
    };
    for total in [3, BLOCK_PAGES, BLOCK_PAGES + 1, 2 * BLOCK_PAGES, 4 * BLOCK_PAGES + 7] {
        let (mut kept, mut taking, mut taken) = (Pager::new(), Pager::new(), Vec::new());
        fill(&mut kept, total, &mut Vec::new(), false);
        fill(&mut taking, total, &mut taken, true);
        taken.extend(taking.take_written());
        kept.page(1)[0] = 7;
        taking.page(1)[0] = 7;
        let whole = kept.into_blocks().into_vec();
        let rest = taking.into_blocks();
        let parts = rest.parts();
        let mut file = parts[0].to_vec();
        taken.iter().for_each(|b| file.extend_from_slice(b));
        parts[1..].iter().for_each(|p| file.extend_from_slice(p));
        assert_eq!(whole.len(), total * PAGE);
        assert!(file == whole, "{total} pages");
        assert_eq!(taken.len(), (total / BLOCK_PAGES).saturating_sub(1), "every full block after the first");
    }
}

#[test]
fn pages_across_blocks_make_one_file() {
    let mut pager = Pager::new();
    while (pager.pages() as usize) < 2 * BLOCK_PAGES + 3 {
        let no = pager.alloc();
        pager.page(no)[..4].copy_from_slice(&no.to_be_bytes());
    }
    pager.page(1)[0] = 7;
    let blocks = pager.into_blocks();
    let parts = blocks.parts();
    assert_eq!(parts.iter().map(|p| p.len()).collect::<Vec<_>>(), [BLOCK_PAGES * PAGE, BLOCK_PAGES * PAGE, 3 * PAGE]);
    let joined = parts.concat();
    let owned = FileBlocks { blocks: blocks.blocks.clone(), len: blocks.len }.into_parts();
    assert!(owned.iter().map(Vec::len).eq(parts.iter().map(|p| p.len())));
    let file = blocks.into_vec();
    assert_eq!(joined, file, "the parts are the file");
    assert_eq!(owned.concat(), file, "so are the owned parts");
    assert_eq!(file.len(), (2 * BLOCK_PAGES + 3) * PAGE);
    assert_eq!(file[0], 7);
    for no in 2..=(2 * BLOCK_PAGES + 3) as u32 {
        let start = (no as usize - 1) * PAGE;
        assert_eq!(file[start..start + 4], no.to_be_bytes(), "page {no}");
    }
}
