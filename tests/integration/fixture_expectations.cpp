#include "fixture_expectations.hpp"

#include "fixture_support.hpp"

#include <stdexcept>

namespace slt::test {
namespace {

FixtureExpectation make(const QString& name, const QStringList& searchScenarios, const QString& scenario,
                        const QString& id, const QString& state, const QStringList& messagePatterns)
{
    return {name, searchScenarios, scenario, QStringLiteral("fx_") + name, id, state, messagePatterns};
}

// A fixture alone in its own scenario folder.
FixtureExpectation alone(const QString& name, const QString& id, const QString& state,
                         const QStringList& messagePatterns)
{
    return make(name, {name}, name, id, state, messagePatterns);
}

std::vector<FixtureExpectation> buildExpectations()
{
    const QString good = QStringLiteral("org.slt.test.good");
    const QString cycleA = QStringLiteral("org.slt.test.cycle_a");
    const QString cycleB = QStringLiteral("org.slt.test.cycle_b");
    const QStringList cyclePatterns = {QStringLiteral("cycle"), literal(cycleA), literal(cycleB)};
    const QString duplicate = QStringLiteral("org.slt.test.duplicate");
    const QStringList bothDuplicates = {QStringLiteral("dup_first"), QStringLiteral("dup_second")};
    return {
        alone(QStringLiteral("good"), good, QStringLiteral("active"), {}),
        // The second '=' on line 5 is at column 8; toml++ reports exactly that position.
        alone(QStringLiteral("bad_toml"), QString(), QStringLiteral("manifest-invalid"),
              {literal(QStringLiteral("plugin.toml:5:8"))}),
        alone(QStringLiteral("schema_error"), QString(), QStringLiteral("manifest-invalid"),
              {literal(QStringLiteral("plugin.toml:5:")), QStringLiteral("gizmo")}),
        alone(QStringLiteral("missing_id"), QString(), QStringLiteral("manifest-invalid"),
              {literal(QStringLiteral("plugin.toml")), QStringLiteral("\\bid\\b"),
               QStringLiteral("missing|required")}),
        alone(QStringLiteral("abi_major"), QStringLiteral("org.slt.test.abi_major"),
              QStringLiteral("incompatible"), {literal(QStringLiteral("ABI 2.0"))}),
        alone(QStringLiteral("abi_minor"), QStringLiteral("org.slt.test.abi_minor"),
              QStringLiteral("incompatible"), {literal(QStringLiteral("ABI 1.99"))}),
        alone(QStringLiteral("no_entry"), QStringLiteral("org.slt.test.no_entry"),
              QStringLiteral("load-failed"), {literal(QStringLiteral("slt_plugin_entry_v1"))}),
        // dlerror's own words must reach the user.
        alone(QStringLiteral("unresolved"), QStringLiteral("org.slt.test.unresolved"),
              QStringLiteral("load-failed"),
              {QStringLiteral("undefined symbol"), literal(QStringLiteral("slt_fixture_function_that_exists_nowhere"))}),
        alone(QStringLiteral("id_mismatch"), QStringLiteral("org.slt.test.id_mismatch"),
              QStringLiteral("incompatible"),
              {literal(QStringLiteral("org.slt.test.id_mismatch")), literal(QStringLiteral("org.slt.test.somebody_else"))}),
        alone(QStringLiteral("version_mismatch"), QStringLiteral("org.slt.test.version_mismatch"),
              QStringLiteral("incompatible"), {literal(QStringLiteral("1.0.0")), literal(QStringLiteral("1.0.1"))}),
        alone(QStringLiteral("init_error"), QStringLiteral("org.slt.test.init_error"),
              QStringLiteral("init-failed"),
              {literal(QStringLiteral("cannot open the licence file 'fixture-licence.key'"))}),
        alone(QStringLiteral("init_throws"), QStringLiteral("org.slt.test.init_throws"),
              QStringLiteral("init-failed"), {literal(QStringLiteral("thrown on purpose from init()"))}),
        alone(QStringLiteral("missing_dep"), QStringLiteral("org.slt.test.missing_dep"),
              QStringLiteral("dependency-missing"), {literal(QStringLiteral("org.slt.test.nowhere"))}),
        make(QStringLiteral("dep_too_old"), {QStringLiteral("good"), QStringLiteral("dep_too_old")},
             QStringLiteral("dep_too_old"), QStringLiteral("org.slt.test.dep_too_old"),
             QStringLiteral("dependency-missing"),
             {literal(good), literal(QStringLiteral("2.0.0")), literal(QStringLiteral("1.2.0"))}),
        make(QStringLiteral("dep_ok"), {QStringLiteral("good"), QStringLiteral("dep_ok")}, QStringLiteral("dep_ok"),
             QStringLiteral("org.slt.test.dep_ok"), QStringLiteral("active"), {}),
        make(QStringLiteral("cycle_a"), {QStringLiteral("cycle")}, QStringLiteral("cycle"), cycleA,
             QStringLiteral("dependency-missing"), cyclePatterns),
        make(QStringLiteral("cycle_b"), {QStringLiteral("cycle")}, QStringLiteral("cycle"), cycleB,
             QStringLiteral("dependency-missing"), cyclePatterns),
        make(QStringLiteral("dup_first"), bothDuplicates, QStringLiteral("dup_first"), duplicate,
             QStringLiteral("active"), {}),
        // The loser's message names the folder of the copy that won.
        make(QStringLiteral("dup_second"), bothDuplicates, QStringLiteral("dup_second"), duplicate,
             QStringLiteral("shadowed"), {literal(pluginDir(QStringLiteral("dup_first"), QStringLiteral("fx_dup_first")))}),
    };
}

} // namespace

const std::vector<FixtureExpectation>& allExpectations()
{
    static const std::vector<FixtureExpectation> expectations = buildExpectations();
    return expectations;
}

const FixtureExpectation& expectationFor(const QString& name)
{
    for (const FixtureExpectation& expectation : allExpectations())
        if (expectation.name == name)
            return expectation;
    throw std::out_of_range("no fixture expectation named " + name.toStdString());
}

} // namespace slt::test
