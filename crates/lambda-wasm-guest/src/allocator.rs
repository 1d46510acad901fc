//! The guest's global allocator on wasm32: a free list per power-of-two size class.
//!
//! Why not Rust's default (dlmalloc): an invocation allocates the event, the parsed types and the
//! result and frees them all again, so a general-purpose allocator's splitting, coalescing and
//! bins buy little here, and they are ~6 KB of code that V8 compiles at the first call
//! (docs/cold-start.md). This one is a few hundred bytes: a block is 2^k bytes (16 at least),
//! carved from the end of the heap, and when freed it goes on the list of its size, from which
//! the next request of that size takes it. It never returns memory to the host (Wasm memory
//! cannot shrink; dlmalloc keeps it too), and a request of half a size class more costs up to
//! twice the memory, which an invocation's short-lived blocks can afford: a 1 MB body takes a
//! 2 MB block (memory grows on demand, up to the function's memory size).
//!
//! A guest that wants another allocator turns this one off with `default-features = false`
//! and declares its own `#[global_allocator]`.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::UnsafeCell;
use std::ptr;

/// Blocks are aligned to 16 bytes, the largest alignment of a Rust scalar on wasm32 (`u128`,
/// SIMD); a type asking for more gets a block aligned as it asks, which is not reused once freed.
const ALIGN: usize = 16;
const PAGE: usize = 65536;
/// Classes 4 (16 bytes) to 31 (2 GiB), beyond anything a 32-bit memory holds.
const CLASSES: usize = 32;

pub struct SizeClasses(UnsafeCell<State>);

struct State {
    /// The first free block of each class; each free block holds the address of the next.
    free: [usize; CLASSES],
    /// The next unused byte of the heap, and the end of the memory grown so far.
    top: usize,
    end: usize,
    /// How far the memory may grow (natively, in tests; on wasm32 the host decides).
    limit: usize,
}

// wasm32 guests are single-threaded (no `atomics` target feature, no threads in the ABI).
unsafe impl Sync for SizeClasses {}

impl SizeClasses {
    pub const fn new() -> Self {
        SizeClasses(UnsafeCell::new(State {
            free: [0; CLASSES],
            top: 0,
            end: 0,
            limit: 0,
        }))
    }
}

impl Default for SizeClasses {
    fn default() -> Self {
        SizeClasses::new()
    }
}

/// The class of a request: the smallest k with 2^k ≥ its size, 16 bytes at least.
fn class(layout: &Layout) -> usize {
    let size = layout.size().max(ALIGN);
    (usize::BITS - (size - 1).leading_zeros()) as usize
}

impl State {
    #[inline(never)]
    /// `size` bytes aligned to `align` from the end of the heap, growing memory when needed.
    unsafe fn carve(&mut self, size: usize, align: usize) -> *mut u8 {
        if self.end == 0 {
            let (top, end, limit) = heap();
            self.top = top;
            self.end = end;
            self.limit = limit;
        }
        let start = match self.top.checked_add(align - 1) {
            Some(n) => n & !(align - 1),
            None => return ptr::null_mut(),
        };
        let stop = match start.checked_add(size) {
            Some(n) => n,
            None => return ptr::null_mut(),
        };
        if stop > self.end {
            let pages = (stop - self.end + PAGE - 1) / PAGE;
            let old_end = match grow(pages, self.end, self.limit) {
                Some(old_end) => old_end,
                None => return ptr::null_mut(),
            };
            if old_end != self.end {
                // Someone else grew the memory meanwhile: carry on in the new pages.
                self.top = old_end;
                self.end = old_end + pages * PAGE;
                return self.carve(size, align);
            }
            self.end += pages * PAGE;
        }
        self.top = stop;
        start as *mut u8
    }
}

/// Where the heap starts, where the memory ends now, and how far it may grow.
#[cfg(target_arch = "wasm32")]
fn heap() -> (usize, usize, usize) {
    extern "C" {
        // The linker's end of the data and the stack: the heap starts here.
        static __heap_base: u8;
    }
    let base = unsafe { ptr::addr_of!(__heap_base) } as usize;
    (base, core::arch::wasm32::memory_size(0) * PAGE, usize::MAX)
}

/// Grows the memory by `pages`: the old end, or `None` when the host refuses.
#[cfg(target_arch = "wasm32")]
fn grow(pages: usize, _end: usize, _limit: usize) -> Option<usize> {
    match core::arch::wasm32::memory_grow(0, pages) {
        usize::MAX => None,
        old => Some(old * PAGE),
    }
}

/// Natively (the unit tests below) the "memory" is a 64 MiB region from the system allocator,
/// one page of it "grown" at first, the heap starting at an odd address as `__heap_base` may.
#[cfg(not(target_arch = "wasm32"))]
fn heap() -> (usize, usize, usize) {
    const TEST_MEMORY: usize = 1024 * PAGE;
    let layout = Layout::from_size_align(TEST_MEMORY, PAGE).unwrap();
    let base = unsafe { std::alloc::alloc(layout) } as usize;
    assert!(base != 0, "no memory for the test heap");
    (base + 1, base + PAGE, base + TEST_MEMORY)
}

#[cfg(not(target_arch = "wasm32"))]
fn grow(pages: usize, end: usize, limit: usize) -> Option<usize> {
    if pages > (limit - end) / PAGE {
        return None;
    }
    Some(end)
}

// Out of line: inlined, every `Vec` and `String` of the guest would carry a copy (11 KB more code).
unsafe impl GlobalAlloc for SizeClasses {
    #[inline(never)]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let state = &mut *self.0.get();
        let k = class(&layout);
        if k >= CLASSES {
            return ptr::null_mut();
        }
        if layout.align() > ALIGN {
            return state.carve(1 << k, layout.align());
        }
        let head = state.free[k];
        if head != 0 {
            state.free[k] = *(head as *const usize);
            return head as *mut u8;
        }
        state.carve(1 << k, ALIGN)
    }

    #[inline(never)]
    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        if layout.align() > ALIGN {
            return;
        }
        let state = &mut *self.0.get();
        let k = class(&layout);
        *(block as *mut usize) = state.free[k];
        state.free[k] = block as usize;
    }

    /// In place while the new size is in the same class (a `Vec` or `String` growing a little, or
    /// shrinking), else a new block, the bytes copied over and the old one freed.
    #[inline(never)]
    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
        if layout.align() <= ALIGN && class(&layout) == class(&new_layout) {
            return block;
        }
        let moved = self.alloc(new_layout);
        if !moved.is_null() {
            ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
            self.dealloc(block, layout);
        }
        moved
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(size: usize, align: usize) -> Layout {
        Layout::from_size_align(size, align).unwrap()
    }

    #[test]
    fn classes_are_powers_of_two_from_16_bytes() {
        assert_eq!(class(&layout(1, 1)), 4);
        assert_eq!(class(&layout(16, 8)), 4);
        assert_eq!(class(&layout(17, 1)), 5);
        assert_eq!(class(&layout(1 << 20, 1)), 20);
        assert_eq!(class(&layout((1 << 20) + 1, 1)), 21);
    }

    #[test]
    fn blocks_are_aligned_disjoint_and_reused_by_their_class() {
        let heap = SizeClasses::new();
        unsafe {
            let a = heap.alloc(layout(5, 1));
            let b = heap.alloc(layout(24, 8));
            let c = heap.alloc(layout(100, 4));
            for (block, size) in [(a, 16), (b, 32), (c, 128)] {
                assert_eq!(block as usize % ALIGN, 0);
                ptr::write_bytes(block, 0xab, size);
            }
            assert!(a as usize + 16 <= b as usize && b as usize + 32 <= c as usize);
            heap.dealloc(b, layout(24, 8));
            // Same class: the freed block; another class: fresh memory.
            assert_eq!(heap.alloc(layout(17, 1)), b);
            assert!(heap.alloc(layout(24, 8)) as usize > c as usize);
            let wide = heap.alloc(layout(8, 256));
            assert_eq!(wide as usize % 256, 0);
            heap.dealloc(wide, layout(8, 256));
        }
    }

    #[test]
    fn realloc_stays_in_place_within_a_class_and_moves_the_bytes_otherwise() {
        let heap = SizeClasses::new();
        unsafe {
            let block = heap.alloc(layout(20, 1));
            for i in 0..20 {
                *block.add(i) = i as u8;
            }
            assert_eq!(heap.realloc(block, layout(20, 1), 32), block);
            let moved = heap.realloc(block, layout(32, 1), 33);
            assert_ne!(moved, block);
            assert_eq!(
                std::slice::from_raw_parts(moved, 20),
                (0..20).collect::<Vec<u8>>().as_slice()
            );
            // The old block went back to its class.
            assert_eq!(heap.alloc(layout(30, 1)), block);
        }
    }

    #[test]
    fn memory_grows_for_a_megabyte_body_and_a_refusal_is_a_null_block() {
        let heap = SizeClasses::new();
        unsafe {
            let body = heap.alloc(layout(1_400_000, 1));
            assert!(!body.is_null());
            ptr::write_bytes(body, 1, 1_400_000);
            let output = heap.realloc(body, layout(1_400_000, 1), 2_200_000);
            assert!(!output.is_null());
            assert_eq!(*output.add(1_399_999), 1);
            // Past the 64 MiB test memory: refused, not a wild pointer.
            assert!(heap.alloc(layout(100 << 20, 1)).is_null());
            assert!(heap.alloc(layout(usize::MAX / 2, 1)).is_null());
            // And still usable afterwards.
            assert!(!heap.alloc(layout(64, 8)).is_null());
        }
    }
}
