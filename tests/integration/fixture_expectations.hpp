// What the plugin manager must say about each fixture plugin (tests/fixtures/plugins): its state and
// patterns its message must match. Shared by the in-process and the slt-cli tests so both hold the
// host to the same words.
#pragma once

#include <QString>
#include <QStringList>

#include <vector>

namespace slt::test {

struct FixtureExpectation {
    QString name;                // the fixture, as in tests/fixtures/plugins/<name>
    QStringList searchScenarios; // scenario folders on the search path, in order
    QString scenario;            // the scenario folder holding this fixture
    QString plugin;              // its folder inside the scenario: fx_<name>
    QString id;                  // the manifest id ("" when the manifest is unreadable)
    QString state;               // the state name the host must report
    QStringList messagePatterns; // case-insensitive regular expressions the message must match
};

// The expectation for one fixture (throws std::out_of_range for an unknown name: a test bug).
const FixtureExpectation& expectationFor(const QString& name);

// Every fixture except init_crash (which takes the process down without a probe), with the states
// they must reach when ALL scenarios are searched together.
const std::vector<FixtureExpectation>& allExpectations();

} // namespace slt::test
