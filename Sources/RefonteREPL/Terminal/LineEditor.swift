import CEditLine
import RefonteScripting

#if canImport(Glibc)
import Glibc
#endif

/// A line editor on the terminal, through libedit: Emacs keys, a history, Tab completion, and
/// Ctrl-C that drops the line being typed. Every libedit call is in this type, and every
/// status it returns goes through `check`.
final class LineEditor {
    enum Input: Equatable {
        case line(String)
        /// Ctrl-C while typing: the line (and any statement being continued) is dropped.
        case cancelled
        /// Ctrl-D on an empty line, or the terminal went away.
        case end
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Called on Tab with the text before the cursor; its answer is inserted or listed.
    var complete: (String) -> Completion = { _ in .none }
    /// The start of the statement that the line continues (the completion sees it too).
    var pending = ""

    private let editor: OpaquePointer
    private let history: OpaquePointer
    private var prompt: UnsafeMutablePointer<CChar>
    private var cancelled = false

    init(name: String) throws(Failure) {
        try Self.openLibrary()
        // Multi-byte characters are edited as characters only under the user's locale.
        setlocale(LC_CTYPE, "")
        guard let editor = refonte_el_init(name) else {
            throw Failure(description: "cannot start the line editor (el_init)")
        }
        guard let history = refonte_history_init() else {
            refonte_el_end(editor)
            throw Failure(description: "cannot start the line editor's history (history_init)")
        }
        self.editor = editor
        self.history = history
        prompt = strdup("> ")
        do {
            try setUp()
        } catch {
            refonte_el_end(editor)
            refonte_history_end(history)
            free(prompt)
            throw error
        }
    }

    /// libedit is opened here, when the REPL first edits a line (CEditLine.h says why).
    private static func openLibrary() throws(Failure) {
        guard let reason = refonte_editline_open() else { return }
        throw Failure(
            description: "line editing needs libedit (Debian: apt-get install libedit2): "
                + String(cString: reason)
        )
    }

    deinit {
        refonte_el_end(editor)
        refonte_history_end(history)
        free(prompt)
    }

    private func setUp() throws(Failure) {
        try check(refonte_el_set_client(editor, Unmanaged.passUnretained(self).toOpaque()), "set its context")
        try check(refonte_el_set_prompt(editor, Self.promptEntry), "set the prompt")
        try check(refonte_el_set_editor(editor, "emacs"), "use Emacs keys")
        try check(refonte_el_set_signal(editor, 1), "handle terminal signals")
        try check(refonte_el_set_history(editor, history), "attach the history")
        try check(refonte_history_set_size(history, 1000), "size the history")
        try check(refonte_history_set_unique(history, 1), "drop repeated entries")
        try check(
            refonte_el_add_command(editor, "refonte-complete", "Complete the word", Self.completeEntry),
            "add Tab"
        )
        try check(refonte_el_bind(editor, "^I", "refonte-complete"), "bind Tab")
        try check(
            refonte_el_add_command(editor, "refonte-cancel", "Drop the line", Self.cancelEntry),
            "add Ctrl-C"
        )
        try check(refonte_el_edit_tty(editor, "-isig"), "read Ctrl-C as a key")
        try check(refonte_el_bind(editor, "^C", "refonte-cancel"), "bind Ctrl-C")
        // ~/.editrc, as every libedit program reads it (bindings of the user's own).
        _ = refonte_el_source(editor, nil)
    }

    /// The one place a libedit status is checked: -1 is a failure.
    private func check(_ status: Int32, _ what: String) throws(Failure) {
        guard status != -1 else { throw Failure(description: "the line editor cannot \(what)") }
    }

    /// Reads one line (without its newline) after `prompt`.
    func read(prompt text: String) -> Input {
        free(prompt)
        prompt = strdup(text)
        cancelled = false
        // Into the editor's terminal mode before the prompt shows, so no key typed after it
        // reaches the terminal's own line editing. el_gets puts the terminal back as it returns.
        // A failure here leaves el_gets to switch the terminal itself.
        _ = refonte_el_prep_term(editor, 1)
        var count: Int32 = 0
        guard let line = refonte_el_gets(editor, &count), count > 0 else {
            return cancelled ? .cancelled : .end
        }
        if cancelled { return .cancelled }
        var text = String(cString: line)
        if text.hasSuffix("\n") { text.removeLast() }
        return .line(text)
    }

    /// Adds an entry to the history (a statement of several lines stays one entry).
    func remember(_ entry: String) {
        _ = refonte_history_enter(history, entry)
    }

    /// Reads the entries saved in `path`; false when there is no such file or it is not one.
    @discardableResult
    func loadHistory(from path: String) -> Bool {
        refonte_history_load(history, path) >= 0
    }

    /// Writes every entry to `file`.
    func saveHistory(to file: UnsafeMutablePointer<FILE>) throws(Failure) {
        try check(refonte_history_save(history, file), "save the history")
    }

    // MARK: libedit's callbacks (C function pointers: they find the editor through its context)

    private static func owner(_ editor: OpaquePointer?) -> LineEditor? {
        guard let editor, let context = refonte_el_client(editor) else { return nil }
        return Unmanaged<LineEditor>.fromOpaque(context).takeUnretainedValue()
    }

    private static let promptEntry: refonte_el_prompt = { editor in
        owner(editor)?.prompt
    }

    private static let cancelEntry: refonte_el_command = { editor, _ in
        owner(editor)?.cancelled = true
        return UInt8(CC_NEWLINE)
    }

    private static let completeEntry: refonte_el_command = { editor, _ in
        guard let editor, let self = owner(editor), let info = refonte_el_line(editor) else {
            return UInt8(CC_ERROR)
        }
        let typed = info.pointee.cursor - info.pointee.buffer
        let before = String(
            decoding: UnsafeRawBufferPointer(start: info.pointee.buffer, count: max(0, typed)),
            as: UTF8.self
        )
        let answer = self.complete(self.pending.isEmpty ? before : self.pending + "\n" + before)
        if !answer.insert.isEmpty {
            guard refonte_el_insertstr(editor, answer.insert) == 0 else { return UInt8(CC_ERROR) }
            return UInt8(CC_REFRESH)
        }
        guard !answer.choices.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
        self.list(answer.choices)
        return UInt8(CC_REDISPLAY)
    }

    /// The choices in columns below the line; the editor then draws the prompt and line again.
    private func list(_ choices: [String]) {
        let width = max(20, TerminalFacts.columns())
        let cell = (choices.map(\.count).max() ?? 0) + 2
        let perLine = max(1, width / cell)
        var text = "\n"
        for (offset, choice) in choices.enumerated() {
            let last = offset % perLine == perLine - 1 || offset == choices.count - 1
            text += last ? choice + "\n" : choice + String(repeating: " ", count: cell - choice.count)
        }
        refonte_el_print(text)
    }
}
