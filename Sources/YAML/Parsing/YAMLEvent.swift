/// One libyaml parse event, copied out of C memory so the C event can be freed at once.
enum YAMLEvent {
    case streamStart
    case streamEnd
    case documentStart(YAMLMark)
    case documentEnd(YAMLMark)
    case alias(anchor: String, mark: YAMLMark)
    case scalar(value: String, anchor: String?, tag: String?, style: YAMLScalar.Style, mark: YAMLMark)
    case sequenceStart(anchor: String?, tag: String?, mark: YAMLMark)
    case sequenceEnd(YAMLMark)
    case mappingStart(anchor: String?, tag: String?, mark: YAMLMark)
    case mappingEnd(YAMLMark)
}
