//! veHaaS simulator seed data: the assembly inventory and a realistic calendar around "now"
//! (active, scheduled, ended and released sessions). Pure data; no HTTP here.

use jiff::Timestamp;

use super::{Assembly, CALLER, Session, add_micros, wire::MICROS_PER_SEC};

const INVENTORY: [(&str, &str, &str, bool); 8] = [
    (
        "HIL-BENCH-01",
        "HIL bench 01 (powertrain)",
        "Stuttgart, lab 2",
        false,
    ),
    (
        "HIL-BENCH-02",
        "HIL bench 02 (chassis)",
        "Stuttgart, lab 2",
        false,
    ),
    (
        "HIL-BENCH-03",
        "HIL bench 03 (body)",
        "Stuttgart, lab 3",
        false,
    ),
    (
        "VT-SYSTEM-07",
        "VT System rack 07",
        "Regensburg, hall B",
        false,
    ),
    (
        "VT-SYSTEM-12",
        "VT System rack 12",
        "Regensburg, hall B",
        false,
    ),
    ("ECU-RIG-A3", "ECU rig A3 (gateway)", "Munich, lab 1", false),
    ("ECU-RIG-B1", "ECU rig B1 (ADAS)", "Munich, lab 1", false),
    ("CAN-LAB-05", "CAN lab board 05", "Stuttgart, store", true),
];

pub(super) fn assemblies() -> Vec<Assembly> {
    INVENTORY
        .iter()
        .map(|(reference, name, location, on_stock)| Assembly {
            reference: (*reference).to_string(),
            name: (*name).to_string(),
            location: (*location).to_string(),
            on_stock: *on_stock,
        })
        .collect()
}

/// (id, assembly, owner, start and end in minutes from now, runner tag?, released, odd state)
type SeedRow = (
    &'static str,
    &'static str,
    &'static str,
    i64,
    i64,
    bool,
    bool,
    Option<&'static str>,
);

const CALENDAR: [SeedRow; 8] = [
    ("1041", "HIL-BENCH-01", CALLER, -30, 40, true, false, None),
    (
        "1042",
        "VT-SYSTEM-07",
        "m.keller",
        -60,
        20,
        true,
        false,
        None,
    ),
    (
        "1043",
        "ECU-RIG-A3",
        "a.novak",
        -120,
        360,
        true,
        false,
        None,
    ),
    ("1044", "HIL-BENCH-02", CALLER, -10, 120, true, false, None),
    (
        "1045",
        "VT-SYSTEM-12",
        "j.schmidt",
        -180,
        180,
        false,
        false,
        Some("maintenance"),
    ),
    // Starts when 1041 could otherwise be extended into: the extend-clash case.
    (
        "1046",
        "HIL-BENCH-01",
        "a.novak",
        120,
        240,
        false,
        false,
        None,
    ),
    ("1047", "HIL-BENCH-03", CALLER, -180, -60, true, false, None),
    (
        "1048",
        "ECU-RIG-B1",
        "m.keller",
        -300,
        -240,
        false,
        true,
        None,
    ),
];

/// The seeded calendar, relative to `now` rounded down to the minute.
pub(super) fn sessions(now: Timestamp) -> Vec<Session> {
    let minute = 60 * MICROS_PER_SEC;
    let base = Timestamp::from_microsecond(now.as_microsecond() / minute * minute).unwrap_or(now);
    CALENDAR
        .iter()
        .map(
            |&(id, asm, owner, start, end, tagged, released, odd_state)| Session {
                id: id.to_string(),
                assembly_ref: asm.to_string(),
                owner: owner.to_string(),
                start: add_micros(base, start * minute),
                end: add_micros(base, end * minute),
                tag: tagged.then(|| format!("vehaas-{}-{id}", asm.to_ascii_lowercase())),
                released,
                odd_state,
            },
        )
        .collect()
}
