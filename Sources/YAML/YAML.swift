/// YAML documents parsed with libyaml into a value tree, and a `Decoder` for `Codable` types.
public enum YAML {}
