import ReleaseCore

/// What each key does, by mode: help shown, a dialog open, the panes (with a script running or
/// not, read-only or not).
enum KeyHandling {
    static func handle(_ state: inout AppState, _ key: Key) -> [Effect] {
        if state.showHelp {
            state.showHelp = false
            return []
        }
        switch state.dialog {
        case .confirm(let action, let command, let serving, let confirmFocused):
            return confirmKey(&state, key, action: action, command: command, serving: serving, focused: confirmFocused)
        case .quitWhileRunning:
            return quitKey(&state, key)
        case nil:
            state.message = nil
            if state.filterEditing { return filterKey(&state, key) }
            if state.showDiff { return diffKey(&state, key) }
            return listKey(&state, key)
        }
    }

    private static func confirmKey(
        _ state: inout AppState, _ key: Key, action: ScriptAction, command: String, serving: String, focused: Bool
    ) -> [Effect] {
        switch key {
        case .character("y"), .character("Y"):
            return run(&state, action, command: command)
        case .enter:
            // Enter presses the focused button: Cancel unless the operator moved to the action.
            if focused { return run(&state, action, command: command) }
            return cancel(&state)
        case .character("n"), .character("N"), .escape, .character("q"):
            return cancel(&state)
        case .tab, .backTab, .left, .right, .character("h"), .character("l"):
            state.dialog = .confirm(action: action, command: command, serving: serving, confirmFocused: !focused)
            return []
        default:
            return []
        }
    }

    /// While `/` is typed: characters narrow the list, Backspace widens it, Enter keeps the filter,
    /// Esc clears it. The selection moves to the first match.
    private static func filterKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        var text = state.filter ?? ""
        switch key {
        case .enter:
            state.filterEditing = false
            if text.isEmpty { state.filter = nil }
            return Dashboard.checkSelectedArtifacts(&state)
        case .escape:
            state.filterEditing = false
            clearFilter(&state)
            return Dashboard.checkSelectedArtifacts(&state)
        case .backspace:
            if !text.isEmpty { text.removeLast() }
        case .character(let character) where !character.isNewline:
            text.append(character)
        case .down, .up:
            return listKey(&state, key)
        default:
            return []
        }
        state.filter = text
        state.selected = 0
        state.manifestScroll = 0
        return Dashboard.checkSelectedArtifacts(&state)
    }

    /// While the diff is open: j/k and arrows move the selection (the diff follows), d, Esc and q
    /// close it; other keys do nothing.
    private static func diffKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        switch key {
        case .character("d"), .escape, .character("q"): state.showDiff = false
        case .character("j"), .down: select(&state, state.selected + 1)
        case .character("k"), .up: select(&state, state.selected - 1)
        case .character("g"), .home: select(&state, 0)
        case .character("G"), .end: select(&state, state.releases.count - 1)
        default: break
        }
        return []
    }

    /// Removes the filter; the release that was selected stays selected.
    private static func clearFilter(_ state: inout AppState) {
        let id = state.selectedRelease?.id
        state.filter = nil
        state.selected = id.flatMap { id in state.releases.firstIndex { $0.id == id } } ?? 0
    }

    private static func quitKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        switch key {
        case .character("y"), .character("Y"):
            state.dialog = nil
            state.quitting = true
            state.appendLog(StyledLine("quitting: stopping the script first", .warning))
            return [.stopScript(signal: 15)]
        case .character("n"), .character("N"), .escape, .enter, .character("q"):
            state.dialog = nil
            return []
        default:
            return []
        }
    }

    private static func run(_ state: inout AppState, _ action: ScriptAction, command: String) -> [Effect] {
        state.dialog = nil
        state.running = action
        state.appendLog(StyledLine("$ \(command)", .strong))
        return [.runScript(action)]
    }

    private static func cancel(_ state: inout AppState) -> [Effect] {
        state.dialog = nil
        state.message = StyledLine("cancelled: nothing was run", .muted)
        return []
    }

    private static func listKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        let page = max(1, Layout(state.size).releaseRows)
        switch key {
        case .character("j"), .down: move(&state, by: 1)
        case .character("k"), .up: move(&state, by: -1)
        case .pageDown: move(&state, by: page)
        case .pageUp: move(&state, by: -page)
        case .character("g"), .home: move(&state, to: 0)
        case .character("G"), .end: move(&state, to: state.releases.count - 1)
        case .enter: state.focus = .manifest
        case .tab: state.focus = Pane(rawValue: (state.focus.rawValue + 1) % Pane.allCases.count) ?? .releases
        case .backTab:
            let count = Pane.allCases.count
            state.focus = Pane(rawValue: (state.focus.rawValue + count - 1) % count) ?? .releases
        case .character("?"): state.showHelp = true
        case .character("d"): state.showDiff = true
        case .character("/"):
            state.filterEditing = true
            state.filter = state.filter ?? ""
        case .escape: if state.filter != nil { clearFilter(&state) }
        case .character("q"):
            if state.running != nil {
                state.dialog = .quitWhileRunning
            } else {
                state.quitting = true
                state.done = true
            }
        case .f5, .ctrl("r"): return Dashboard.refreshNow(&state)
        case .character("R"): return ask(&state, rollbackTo: nil)
        case .character("r"): return ask(&state, rollbackTo: state.selectedRelease?.id)
        case .character("D"): return askDeploy(&state)
        default: break
        }
        return Dashboard.checkSelectedArtifacts(&state)
    }

    /// j/k move the selection in the releases pane and scroll the manifest in the manifest pane.
    private static func move(_ state: inout AppState, by offset: Int) {
        if state.focus == .manifest {
            state.manifestScroll = max(0, state.manifestScroll + offset)
        } else {
            move(&state, to: state.selected + offset)
        }
    }

    private static func move(_ state: inout AppState, to index: Int) {
        if state.focus == .manifest {
            state.manifestScroll = max(0, index)
            return
        }
        select(&state, index)
    }

    /// Selects the release at `index` (clamped to the list); a new selection scrolls its manifest
    /// back to the top.
    private static func select(_ state: inout AppState, _ index: Int) {
        let previous = state.selected
        state.selected = min(max(0, index), max(0, state.releases.count - 1))
        if state.selected != previous { state.manifestScroll = 0 }
    }

    /// Why a deploy or rollback cannot be asked now; nil when it can.
    private static func refusal(_ state: AppState) -> String? {
        if state.running != nil { return "a script is running: wait for it to end (q asks to stop it)" }
        if let lock = state.blockingLock { return "deploy/.lock is held by \(lock.summary)" }
        if state.snapshot == nil { return "the deploy tree is not read yet" }
        return nil
    }

    private static func ask(_ state: inout AppState, rollbackTo target: ReleaseID?) -> [Effect] {
        guard !state.options.readOnly else { return readOnlyRefusal(&state) }
        if let why = refusal(state) {
            state.message = StyledLine("no rollback: \(why)", .warning)
            return []
        }
        guard let catalog = state.snapshot?.catalog else { return [] }
        let choice = target.map { catalog.checkRollbackTarget($0) } ?? catalog.rollbackCandidate
        switch choice {
        case .none(let refusal):
            state.message = StyledLine("no rollback: \(refusal)", .warning)
        case .release(let id):
            let command = "\(state.options.scriptsDirectory)/rollback.sh --to \(id)"
            let manifest = catalog.release(id)?.manifest
            let details = [manifest?.environment, manifest?.appVersion, manifest?.git?.short].compactMap { $0 }
            let serving = "\(id) will serve" + (details.isEmpty ? "" : " (\(details.joined(separator: ", ")))")
            state.dialog = .confirm(
                action: .rollback(to: id, passthrough: []), command: command, serving: serving, confirmFocused: false)
        }
        return []
    }

    private static func askDeploy(_ state: inout AppState) -> [Effect] {
        guard !state.options.readOnly else { return readOnlyRefusal(&state) }
        if let why = refusal(state) {
            state.message = StyledLine("no deploy: \(why)", .warning)
            return []
        }
        state.dialog = .confirm(
            action: .deploy(environment: nil, passthrough: []),
            command: "\(state.options.scriptsDirectory)/deploy_local.sh",
            serving: "a new release of the working tree will serve", confirmFocused: false)
        return []
    }

    private static func readOnlyRefusal(_ state: inout AppState) -> [Effect] {
        state.message = StyledLine("read-only: deploy and rollback are disabled (--read-only)", .muted)
        return []
    }
}
