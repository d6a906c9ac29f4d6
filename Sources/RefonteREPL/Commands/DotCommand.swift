import Foundation
import RefonteAPI
import RefonteScripting

/// The REPL's own commands, typed at the start of a statement: `.help`, `.help teams.invite`,
/// `.profile`, `.load file.lua`, `.dry on|off`, `.plan [FILE]`, `.exit`.
enum DotCommand: Equatable {
    case help(String?)
    case profile
    case load(String)
    /// `.dry on` / `.dry off`; nil (`.dry` alone) tells which is in effect.
    case dry(Bool?)
    /// `.plan` shows the plan so far; `.plan FILE` also writes it for `refonte apply`.
    case plan(String?)
    case exit
    /// A dot-command that does not exist, or one used wrongly: the message says which.
    case invalid(String)

    /// Every command with what it does, as `.help` lists them.
    static let summaries: [(usage: String, what: String)] = [
        (".help", "this list"),
        (".help OPERATION", "an operation's arguments, example and answer (.help teams.invite)"),
        (".profile", "where calls go: the profile, the base URL, the API key's source (masked)"),
        (".load FILE", "run a Lua file in this session (it needs --allow-read, as for scripts)"),
        (
            ".dry on|off",
            "plan the writes that follow instead of sending them (as run --dry-run), or send them"
        ),
        (".plan [FILE]", "the writes planned so far; with FILE, also save them for `refonte apply FILE`"),
        (".exit", "leave (Ctrl-D too)"),
    ]

    static let names = ["help", "profile", "load", "dry", "plan", "exit"]

    /// The command a line holds, or nil when the line is Lua (`.5` is a number, not a command).
    init?(line: String) {
        var text = Substring(line)
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        guard text.first == ".", let second = text.dropFirst().first, second.isLetter else { return nil }
        let words = text.dropFirst().split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let name = words[0]
        let rest = words.dropFirst()
        switch name {
        case "help":
            self =
                rest.count <= 1
                ? .help(rest.first) : .invalid(".help takes one operation, e.g. .help teams.invite")
        case "profile":
            self = rest.isEmpty ? .profile : .invalid(".profile takes nothing")
        case "load":
            // The rest of the line is the path, spaces included.
            let path = text.dropFirst(".load".count).trimmingCharacters(in: [" ", "\t"])
            self = path.isEmpty ? .invalid(".load needs a file: .load script.lua") : .load(path)
        case "dry":
            switch rest.first {
            case nil: self = .dry(nil)
            case "on" where rest.count == 1: self = .dry(true)
            case "off" where rest.count == 1: self = .dry(false)
            default: self = .invalid(".dry takes on or off: .dry on")
            }
        case "plan":
            let path = text.dropFirst(".plan".count).trimmingCharacters(in: [" ", "\t"])
            self = .plan(path.isEmpty ? nil : path)
        case "exit", "quit":
            self = .exit
        default:
            let close = Suggestion.closest(to: name, in: Self.names)
            self = .invalid(
                "unknown command .\(name)" + (close.map { "; did you mean .\($0)?" } ?? "")
                    + " (.help lists them)"
            )
        }
    }

    /// What `.help` prints.
    static func helpText() -> String {
        let width = summaries.map(\.usage.count).max() ?? 0
        var out = "Type Lua: an expression prints its value (kept in _1, _2, …), a statement runs.\n"
        out += "Every API operation is a function below refonte: refonte.teams.list().\n\n"
        for (usage, what) in summaries {
            out += "  " + usage + String(repeating: " ", count: width - usage.count + 2) + what + "\n"
        }
        out += """

            Keys: Tab completes (names, refonte.… paths, argument names, project names);
            Up/Down walk the history; Ctrl-C stops a statement or drops the line; Ctrl-D leaves.
            Locals stay from one statement to the next; a statement ends when it is complete.

            """
        return out
    }

    /// `.help teams.invite`: the text `refonte ops describe` prints.
    static func operationHelp(_ name: String) -> Result<String, OperationDescription.UnknownOperation> {
        OperationDescription.lookup(name).map { OperationDescription.describe($0) }
    }

    /// Completion of a dot-command being typed (`.he`, `.help teams.inv`); nil when `text`
    /// is not one.
    static func completion(_ text: String) -> Completion? {
        guard text.hasPrefix("."), !text.contains("\n"), text.dropFirst().first?.isLetter ?? true else {
            return nil
        }
        let words = text.dropFirst().split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        if words.count == 1 {
            let choices = Set(
                names.map {
                    Completer.Choice(name: $0, suffix: ["exit", "profile", "plan"].contains($0) ? "" : " ")
                }
            )
            return Completer.completion(words[0], choices)
        }
        if words.count == 2, words[0] == "help" {
            var ids = Set(Catalog.operations.map { Completer.Choice(name: $0.id, suffix: "") })
            for operation in Catalog.operations {
                if let group = operation.iteratorID {
                    ids.insert(Completer.Choice(name: group + ".iter", suffix: ""))
                }
            }
            return Completer.completion(words[1], ids)
        }
        if words.count == 2, words[0] == "dry" {
            return Completer.completion(
                words[1],
                [Completer.Choice(name: "on", suffix: ""), Completer.Choice(name: "off", suffix: "")]
            )
        }
        return Completion.none
    }
}
