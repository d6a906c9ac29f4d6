import RefonteAPI

/// Reads cron expressions the way cronie does, with errors that point at the bad part.
enum CronParser {
    /// cron's macros and the five fields each stands for.
    static let macros: [(name: String, fields: String)] = [
        ("@yearly", "0 0 1 1 *"), ("@annually", "0 0 1 1 *"), ("@monthly", "0 0 1 * *"),
        ("@weekly", "0 0 * * 0"), ("@daily", "0 0 * * *"), ("@midnight", "0 0 * * *"),
        ("@hourly", "0 * * * *"),
    ]

    static func parse(_ text: String) throws(CronSyntaxError) -> CronExpression {
        let words = split(text)
        if let first = words.first, first.text.hasPrefix("@") {
            return try parseMacro(text, words: words)
        }
        guard words.count == 5 else {
            throw fieldCountError(text, words: words)
        }
        var fields: [CronValueSet] = []
        var stars: [Bool] = []
        for (field, word) in zip(CronField.allCases, words) {
            fields.append(try parseField(word, field, in: text))
            stars.append(word.text.hasPrefix("*"))
        }
        let expression = CronExpression(source: text, fields: fields, stars: stars)
        try checkCanFire(expression, dayOfMonth: words[2], in: text)
        return expression
    }

    // MARK: - Words

    struct Word {
        var text: String
        /// Where it starts in the expression, in characters.
        var column: Int
    }

    /// The expression's words (split on spaces and tabs) with their columns.
    static func split(_ text: String) -> [Word] {
        var words: [Word] = []
        var current = ""
        var start = 0
        for (column, character) in text.enumerated() {
            if character == " " || character == "\t" {
                if !current.isEmpty { words.append(Word(text: current, column: start)) }
                current = ""
            } else {
                if current.isEmpty { start = column }
                current.append(character)
            }
        }
        if !current.isEmpty { words.append(Word(text: current, column: start)) }
        return words
    }

    static func parseMacro(_ text: String, words: [Word]) throws(CronSyntaxError) -> CronExpression {
        let word = words[0]
        let name = word.text.lowercased()
        guard let macro = macros.first(where: { $0.name == name }) else {
            let list = "@hourly, @daily, @weekly, @monthly or @yearly"
            let reason: String
            if name == "@reboot" {
                reason =
                    "@reboot is not supported: a schedule needs times to fire at; start the script from a systemd unit at boot instead"
            } else if let near = Suggestion.closest(to: name, in: macros.map(\.name)) {
                reason = "unknown macro \(word.text) (did you mean \(near)?); use \(list)"
            } else {
                reason = "unknown macro \(word.text); use \(list)"
            }
            throw CronSyntaxError(
                expression: text,
                field: nil,
                reason: reason,
                column: word.column,
                length: word.text.count
            )
        }
        if words.count > 1 {
            let extra = words[1]
            throw CronSyntaxError(
                expression: text,
                field: nil,
                reason: "\(word.text) stands for all five fields; nothing may follow it",
                column: extra.column,
                length: text.count - extra.column
            )
        }
        var expression = try parse(macro.fields)
        expression.source = text
        return expression
    }

    static func fieldCountError(_ text: String, words: [Word]) -> CronSyntaxError {
        let expected = "expected 5 fields (\(CronField.layout))"
        if words.count > 5 {
            let extra = words[5]
            return CronSyntaxError(
                expression: text,
                field: nil,
                reason:
                    "\(expected), got \(words.count); cron has no field for seconds or years, and @hourly, @daily, @weekly, @monthly, @yearly stand alone",
                column: extra.column,
                length: text.count - extra.column
            )
        }
        let reason =
            words.isEmpty
            ? "empty expression: \(expected), or a macro such as @daily"
            : "\(expected), got \(words.count); the \(CronField.allCases[words.count].name) field is missing"
        return CronSyntaxError(expression: text, field: nil, reason: reason, column: text.count, length: 1)
    }

    // MARK: - Fields

    /// One field: a comma-separated list of `*`, `*/N`, `A`, `A-B` or `A-B/N`.
    static func parseField(
        _ word: Word,
        _ field: CronField,
        in text: String
    ) throws(CronSyntaxError)
        -> CronValueSet
    {
        var set = CronValueSet()
        var offset = 0
        for item in word.text.split(separator: ",", omittingEmptySubsequences: false) {
            let column = word.column + offset
            offset += item.count + 1
            func fail(_ reason: String, at start: Int = 0, length: Int? = nil) -> CronSyntaxError {
                CronSyntaxError(
                    expression: text,
                    field: field,
                    reason: reason,
                    column: column + start,
                    length: length ?? max(1, item.count - start)
                )
            }
            if item.isEmpty {
                throw fail("an empty item in the list \"\(word.text)\"; \(field.name) takes \(field.takes)")
            }
            let parts = item.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { throw fail("\"\(item)\" has more than one /") }
            let base = parts[0]
            var step = 1
            if parts.count == 2 {
                let stepText = parts[1]
                let stepColumn = base.count + 1
                guard !stepText.isEmpty else {
                    throw fail(
                        "a step is missing after / in \"\(item)\", e.g. */15",
                        at: base.count,
                        length: 1
                    )
                }
                guard stepText.allSatisfy(\.isASCIIDigit), let number = Int(stepText) else {
                    throw fail("the step \"\(stepText)\" is not a whole number", at: stepColumn)
                }
                guard number >= 1 else { throw fail("a step must be 1 or more", at: stepColumn) }
                step = number
            }
            let low: Int
            var high: Int
            if base == "*" {
                (low, high) = (field.bounds.lowerBound, field.bounds.upperBound)
            } else {
                let ends = base.split(separator: "-", omittingEmptySubsequences: false)
                guard ends.count <= 2 else { throw fail("\"\(base)\" is not a value or a range A-B") }
                low = try value(String(ends[0]), field, fail: { fail($0, at: 0, length: ends[0].count) })
                if ends.count == 2 {
                    let start = ends[0].count + 1
                    high = try value(
                        String(ends[1]),
                        field,
                        fail: { fail($0, at: start, length: ends[1].count) }
                    )
                } else {
                    high = low
                    if parts.count == 2 {
                        throw fail(
                            "a step needs a range or * before it: write \(low)-\(field.bounds.upperBound)/\(step) or */\(step)"
                        )
                    }
                }
                // cron reads a day-of-week range that ends on Sunday as ending on 7 (fri-sun).
                if field == .dayOfWeek, high == 0, low > 0 { high = 7 }
                guard low <= high else {
                    throw fail(
                        "the range \(base) runs backwards; write \(low)-\(field.bounds.upperBound),\(field.bounds.lowerBound)-\(high)"
                    )
                }
            }
            if step > 1, step > high - low {
                throw fail(
                    "the step \(step) is larger than the range \(low)-\(high), so it would only ever pick \(low)",
                    at: base.count + 1
                )
            }
            for number in stride(from: low, through: high, by: step) { set.insert(number) }
        }
        return set
    }

    /// A number or, for months and days of the week, a three-letter name.
    static func value(
        _ text: String,
        _ field: CronField,
        fail: (String) -> CronSyntaxError
    ) throws(CronSyntaxError)
        -> Int
    {
        guard !text.isEmpty else { throw fail("a value is missing; \(field.name) takes \(field.takes)") }
        if text.allSatisfy(\.isASCIIDigit) {
            guard let number = Int(text), field.bounds.contains(number) else {
                throw fail("\(text) is out of range; \(field.name) takes \(field.takes)")
            }
            return number
        }
        let names = field.names
        if let number = names[text.lowercased()] { return number }
        if names.isEmpty {
            throw fail("\"\(text)\" is not a number; \(field.name) takes \(field.takes), \(CronField.forms)")
        }
        let short = String(text.lowercased().prefix(3))
        if text.count > 3, names[short] != nil, text.allSatisfy(\.isLetter) {
            throw fail("\"\(text)\": cron takes three-letter names; write \(short)")
        }
        let hint =
            Suggestion.closest(to: text, in: names.keys.sorted()).map { " (did you mean \($0)?)" } ?? ""
        throw fail("\"\(text)\" is not a \(field.name)\(hint); \(field.name) takes \(field.takes)")
    }

    /// Refuses an expression that can never fire: with the day of week unrestricted, some chosen
    /// day of month must exist in some chosen month (`0 0 30 feb *` never comes).
    static func checkCanFire(
        _ expression: CronExpression,
        dayOfMonth word: Word,
        in text: String
    )
        throws(CronSyntaxError)
    {
        guard expression.dayOfWeekStar else { return }
        let longest = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        let firstDay = expression.daysOfMonth.values.first ?? 1
        let possible = expression.months.values.contains { month in firstDay <= longest[month] }
        guard !possible else { return }
        let monthNames = expression.months.values.map { CronField.month.displayName(of: $0) }
        throw CronSyntaxError(
            expression: text,
            field: .dayOfMonth,
            reason:
                "no chosen day of month exists in \(monthNames.joined(separator: ", ")), so this expression would never fire",
            column: word.column,
            length: word.text.count
        )
    }
}

extension CronField {
    /// `feb` for month 2, `mon` for weekday 1; the number itself for other fields.
    func displayName(of value: Int) -> String {
        names.first { $0.value == value }?.key ?? String(value)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
