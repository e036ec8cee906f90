import CNCursesW
import Dashboard
import ReleaseCore

/// A cell's look as curses attributes and a colour pair: pair N+1 is colour N on the terminal's
/// own background (`use_default_colors`), so the dashboard reads on light and dark themes.
struct CursesLook {
    let palette: Palette
    let colours: Bool

    func attributes(_ look: CellLook) -> (attr_t, Int16) {
        let style = palette.style(look.tone)
        var attributes = rd_a_normal()
        if style.bold { attributes |= rd_a_bold() }
        if style.dim { attributes |= rd_a_dim() }
        if look.reverse { attributes |= rd_a_reverse() }
        let pair = colours ? style.foreground.map { Int16($0.rawValue + 1) } ?? 0 : 0
        return (attributes, pair)
    }

    /// Sets up the pairs; call once after `start_color`.
    static func initialisePairs() {
        for colour in TerminalColor.allCases {
            init_pair(Int16(colour.rawValue + 1), Int16(colour.rawValue), -1)
        }
    }
}
