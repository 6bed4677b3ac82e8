/// Compares two byte strings in time that depends only on their lengths, so that a mismatch does
/// not reveal how many leading bytes were right (use it for MACs, tokens and password hashes).
///
/// Lengths are not secret here: strings of different lengths compare unequal at once.
public func constantTimeEquals(_ lhs: some Collection<UInt8>, _ rhs: some Collection<UInt8>) -> Bool {
    guard lhs.count == rhs.count else { return false }
    var difference: UInt8 = 0
    for (left, right) in zip(lhs, rhs) {
        difference |= left ^ right
    }
    return difference == 0
}
