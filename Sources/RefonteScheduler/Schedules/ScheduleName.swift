/// Schedule names: they name folders of run output and systemd units, so they stay plain.
public enum ScheduleName {
    public static let rule = "letters, digits, '.', '_' and '-', up to 64, starting with a letter or digit"

    public static func check(_ name: String) throws(ScheduleError) {
        let scalars = Array(name.unicodeScalars)
        guard let first = scalars.first, scalars.count <= 64,
            first.isASCIIAlphanumeric,
            scalars.allSatisfy({ $0.isASCIIAlphanumeric || $0 == "." || $0 == "_" || $0 == "-" })
        else {
            throw .usage("schedule name \"\(name)\": use \(rule)")
        }
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIIAlphanumeric: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self) || ("0"..."9").contains(self)
    }
}
