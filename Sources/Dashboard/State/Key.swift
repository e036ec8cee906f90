/// A key press as the dashboard understands it (the terminal layer decodes curses codes into it).
public enum Key: Hashable, Sendable {
    case character(Character)
    case up
    case down
    case left
    case right
    case home
    case end
    case pageUp
    case pageDown
    case enter
    case escape
    case tab
    case backTab
    case backspace
    case f5
    /// Ctrl and a letter (`ctrl("r")` is Ctrl-R).
    case ctrl(Character)
}
