//! Typed indices into a module's index spaces, so no bare `u32` crosses a
//! module boundary with an ambiguous meaning.

macro_rules! index_type {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);

        impl $name {
            /// The index as a `usize`, for indexing vectors.
            #[inline]
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}

index_type! {
    /// A function in the module's function index space (imports first).
    FuncIndex;
    /// A type in the module's type section.
    TypeIndex;
    /// A table in the module's table index space.
    TableIndex;
    /// A memory in the module's memory index space.
    MemoryIndex;
    /// A global in the module's global index space.
    GlobalIndex;
    /// A tag in the module's tag index space.
    TagIndex;
    /// An element segment.
    ElemIndex;
    /// A data segment.
    DataIndex;
    /// An engine-wide canonical type: equal ids mean equal (iso-recursive) types.
    SharedTypeId;
}
