/// FNV-1a: a hash that is the same on every run, machine and Swift version (unlike
/// `Hasher`). Here for the cell ids this module derives; public because the engine's
/// matching (source fingerprints) and its per-cell seeds use the same 64-bit hash.
/// Not a security hash.
public enum StableHash {
    /// FNV-1a, 64 bits, over the UTF-8 bytes: the same for the same text in every run and on every machine.
    public static func fnv64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
