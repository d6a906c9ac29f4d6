import ArgumentParser
import Foundation
import RefonteAPI

/// "Did you mean" for a command line the parser refused: an unknown subcommand (`refonte rnu`)
/// or an unknown option (`refonte run --timout 3s`), with the closest real one.
///
/// It reads the commands and their options from ArgumentParser's own description of the tool,
/// so it cannot drift from the declarations; that description is built only on this error path
/// (it costs a walk over every command's properties).
enum CommandLineAdvice {
    /// The advice for `words` (the command line without the program), or nil when every
    /// command and option in it is known.
    static func advice(for words: [String], root: any ParsableCommand.Type) -> String? {
        guard let tool = ToolDescription.of(root) else { return nil }
        var command = tool
        var path = [tool.commandName]
        var index = 0
        // Down the subcommands as far as the words name them.
        while index < words.count, let subcommands = command.subcommands, !subcommands.isEmpty {
            let word = words[index]
            if word.hasPrefix("-") {
                // `refonte sandbox --port 0` is `refonte sandbox serve --port 0`.
                guard let fallback = subcommands.first(where: { $0.commandName == command.defaultSubcommand })
                else {
                    break
                }
                command = fallback
                continue
            }
            guard let next = subcommands.first(where: { $0.commandName == word }) else {
                let names = subcommands.map(\.commandName)
                let where_ = path.joined(separator: " ")
                if let guess = Suggestion.closest(to: word, in: names) {
                    return
                        "\(where_): unknown command '\(word)'. Did you mean '\(guess)'? (\(where_) --help lists them)"
                }
                return
                    "\(where_): unknown command '\(word)'; the commands are \(names.joined(separator: ", "))"
            }
            command = next
            path.append(word)
            index += 1
        }
        let options = command.arguments ?? []
        let longNames = Set(options.flatMap { $0.longNames }).union(["--help", "--version"])
        // Words after the first positional of a command that passes them on (`run`'s script
        // arguments) are not the command's.
        let passesOn = options.contains {
            $0.kind == "positional" && $0.parsingStrategy == "allRemainingInput"
        }
        while index < words.count {
            let word = words[index]
            index += 1
            if word == "--" { break }
            if passesOn, !word.hasPrefix("-") || word == "-" { break }
            guard word.hasPrefix("--") else {
                // A short option that takes a value takes the next word with it.
                if let option = options.first(where: { $0.shortNames.contains(word) }),
                    option.kind == "option"
                {
                    index += 1
                }
                continue
            }
            let name = String(word.prefix(while: { $0 != "=" }))
            if let option = options.first(where: { $0.longNames.contains(name) }) {
                if option.kind == "option", !word.contains("=") { index += 1 }
                continue
            }
            guard !longNames.contains(name) else { continue }
            let where_ = path.joined(separator: " ")
            if let guess = Suggestion.closest(to: name, in: longNames) {
                return "\(where_): unknown option '\(name)'. Did you mean '\(guess)'?"
            }
            return "\(where_): unknown option '\(name)' (\(where_) --help lists the options)"
        }
        return nil
    }

    /// The long names of `command`'s options and flags (for `run`, whose script arguments take
    /// any word after the script, so the parser cannot refuse an unknown one itself).
    static func unknownOption(_ word: String, of command: any ParsableCommand.Type, path: String) -> String {
        let name = String(word.prefix(while: { $0 != "=" }))
        let names = (ToolDescription.of(command)?.arguments ?? []).flatMap(\.longNames) + ["--help"]
        if let guess = Suggestion.closest(to: name, in: names) {
            return "\(path): unknown option '\(name)'. Did you mean '\(guess)'?"
        }
        return "\(path): unknown option '\(name)' (\(path) --help lists the options)"
    }
}

/// The part of ArgumentParser's tool description (`ToolInfoV0`, its `--experimental-dump-help`
/// JSON) that advice needs.
struct ToolDescription: Decodable {
    struct Argument: Decodable {
        struct Name: Decodable {
            var kind: String
            var name: String
        }
        var kind: String
        var names: [Name]?
        var parsingStrategy: String?

        var longNames: [String] {
            (names ?? []).filter { $0.kind == "long" }.map { "--" + $0.name }
        }
        var shortNames: [String] {
            (names ?? []).filter { $0.kind == "short" }.map { "-" + $0.name }
        }
    }

    var commandName: String
    var defaultSubcommand: String?
    var subcommands: [ToolDescription]?
    var arguments: [Argument]?

    static func of(_ command: any ParsableCommand.Type) -> ToolDescription? {
        struct Envelope: Decodable { var command: ToolDescription }
        return try? JSONDecoder().decode(Envelope.self, from: Data(command._dumpHelp().utf8)).command
    }
}
