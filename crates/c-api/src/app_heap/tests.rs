use super::AppHeap;

#[test]
fn allocates_aligned_blocks_inside_the_range() {
    let mut heap = AppHeap::new(65536, 64);
    let a = heap.alloc(3).unwrap();
    let b = heap.alloc(8).unwrap();
    assert_eq!((a, b), (65536, 65544));
    assert_eq!(heap.alloc(48), Some(65552));
    assert_eq!(heap.alloc(1), None);
}

#[test]
fn freed_blocks_merge_and_are_reused() {
    let mut heap = AppHeap::new(1024, 96);
    let blocks: Vec<u64> = (0..3).map(|_| heap.alloc(32).unwrap()).collect();
    assert_eq!(heap.alloc(8), None);
    assert!(heap.free(blocks[0]));
    assert!(heap.free(blocks[2]));
    assert_eq!(heap.alloc(64), None, "two separate holes of 32 bytes");
    assert!(heap.free(blocks[1]));
    assert_eq!(heap.alloc(96), Some(1024), "all three merged again");
}

#[test]
fn rejects_unknown_and_double_frees() {
    let mut heap = AppHeap::new(4096, 64);
    let a = heap.alloc(16).unwrap();
    assert!(!heap.free(a + 8));
    assert!(heap.free(a));
    assert!(!heap.free(a));
}

#[test]
fn never_returns_address_zero() {
    let mut heap = AppHeap::new(0, 32);
    assert_eq!(heap.alloc(8), Some(8));
    assert_eq!(heap.alloc(u64::MAX), None);
}
