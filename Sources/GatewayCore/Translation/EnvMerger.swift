/// BPG's `copyEnv`: a name already present is replaced in place (keeping its position), a new name is
/// appended, and within the source the last duplicate wins.
public enum EnvMerger {
    /// Merges `source` into `destination`.
    public static func merge(_ source: [EnvVar]?, into destination: inout [EnvVar]?) {
        guard let source else { return }
        var result = destination ?? []
        for variable in source {
            if let index = result.firstIndex(where: { $0.name == variable.name }) {
                result[index] = variable
            } else {
                result.append(variable)
            }
        }
        destination = result
    }
}
