// swift-tools-version: 6.2
// The operator tool of the project: `reldash`, a release dashboard over deploy/ and Prometheus.
// The API has its own package in app/. ReleaseCore stays pure so both front ends render from it,
// ReleaseApp holds what they share (settings, script runs, the effect runner), ReleaseTesting a
// fake for every ReleaseIO protocol. The dashboard: Dashboard (pure: state, reduce, render to
// Frames, a fake terminal), CNCursesW (ncursesw and a C shim), TerminalUI (the curses thread and
// the loop that runs effects).
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "reldash",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "reldash", targets: ["reldash"]),
        .library(name: "ReleaseCore", targets: ["ReleaseCore"]),
        .library(name: "ReleaseIO", targets: ["ReleaseIO"]),
        .library(name: "ReleaseApp", targets: ["ReleaseApp"]),
        .library(name: "ReleaseTesting", targets: ["ReleaseTesting"]),
        .library(name: "Dashboard", targets: ["Dashboard"]),
        .library(name: "TerminalUI", targets: ["TerminalUI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
    ],
    targets: [
        .target(
            name: "ReleaseCore",
            exclude: ["Text/TerminalWidthTable.py"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ReleaseIO",
            dependencies: [
                "ReleaseCore",
                .product(name: "Subprocess", package: "swift-subprocess"),
                "CLibCrypto",
                "CLibCurl",
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ReleaseApp",
            dependencies: ["ReleaseCore", "ReleaseIO"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ReleaseTesting",
            dependencies: ["ReleaseCore", "ReleaseIO"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Dashboard",
            dependencies: ["ReleaseCore"],
            swiftSettings: strictSettings
        ),
        .systemLibrary(
            name: "CLibCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]
        ),
        .systemLibrary(
            name: "CLibCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"]), .brew(["curl"])]
        ),
        .systemLibrary(
            name: "CNCursesW",
            providers: [.apt(["libncursesw5-dev"]), .brew(["ncurses"])]
        ),
        .target(
            name: "TerminalUI",
            dependencies: ["CNCursesW", "Dashboard", "ReleaseCore", "ReleaseApp", "ReleaseIO"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "reldash",
            dependencies: [
                "ReleaseCore",
                "ReleaseIO",
                "ReleaseApp",
                "TerminalUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ReleaseCoreTests",
            dependencies: ["ReleaseCore", "ReleaseTesting"],
            exclude: ["Golden"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ReleaseAppTests",
            dependencies: ["ReleaseApp", "ReleaseCore", "ReleaseIO", "ReleaseTesting"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DashboardTests",
            dependencies: ["Dashboard", "ReleaseCore", "ReleaseTesting"],
            exclude: ["Snapshots"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TerminalUITests",
            dependencies: ["TerminalUI", "Dashboard", "ReleaseCore", "CNCursesW"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ReleaseIOTests",
            dependencies: ["ReleaseIO", "ReleaseCore"],
            swiftSettings: strictSettings
        ),
    ]
)
