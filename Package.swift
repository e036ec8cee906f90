// swift-tools-version: 6.2
// The operator tool of the project: `reldash`, a release dashboard over deploy/ and Prometheus.
// The API has its own package in app/. Targets CNCursesW and TerminalUI (the ncurses front end)
// come next, beside these: ReleaseCore stays pure so the TUI can render from it, ReleaseApp holds
// what both front ends do (settings, script runs, the effect runner), ReleaseTesting a fake for
// every ReleaseIO protocol.
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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
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
                .product(name: "Crypto", package: "swift-crypto"),
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
        .executableTarget(
            name: "reldash",
            dependencies: [
                "ReleaseCore",
                "ReleaseIO",
                "ReleaseApp",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ReleaseCoreTests",
            dependencies: ["ReleaseCore"],
            exclude: ["Golden"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ReleaseAppTests",
            dependencies: ["ReleaseApp", "ReleaseCore", "ReleaseIO", "ReleaseTesting"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ReleaseIOTests",
            dependencies: ["ReleaseIO", "ReleaseCore"],
            swiftSettings: strictSettings
        ),
    ]
)
