import CNCursesW
import Dashboard

/// Turns what `wget_wch` returned into a `Key` (nil for keys the dashboard ignores).
enum KeyDecoder {
    /// `result` is OK or KEY_CODE_YES; `code` the character or the curses key code.
    static func decode(result: Int32, code: UInt32) -> Key? {
        if result == rd_key_code_yes() { return functionKey(Int32(bitPattern: code)) }
        switch code {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return Unicode.Scalar(code + 96).map { .ctrl(Character($0)) }
        default: return Unicode.Scalar(code).map { .character(Character($0)) }
        }
    }

    private static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case rd_key_up(): return .up
        case rd_key_down(): return .down
        case rd_key_left(): return .left
        case rd_key_right(): return .right
        case rd_key_home(): return .home
        case rd_key_end(): return .end
        case rd_key_ppage(): return .pageUp
        case rd_key_npage(): return .pageDown
        case rd_key_enter(): return .enter
        case rd_key_btab(): return .backTab
        case rd_key_f5(): return .f5
        case rd_key_backspace(): return .backspace
        default: return nil
        }
    }
}
