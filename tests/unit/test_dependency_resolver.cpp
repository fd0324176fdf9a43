#include <catch2/catch.hpp>

#include <slt/core/dependency_resolver.hpp>

#include <algorithm>

using namespace slt::core;

namespace {

DependencyNode node(const char* id, std::vector<PluginDependency> dependencies = {}, const char* version = "1.0.0")
{
    return DependencyNode{QString::fromLatin1(id), QString::fromLatin1(version), std::move(dependencies), {}};
}

PluginDependency needs(const char* id, const char* minimum = "")
{
    return PluginDependency{QString::fromLatin1(id), QString::fromLatin1(minimum)};
}

qsizetype position(const std::vector<QString>& order, const char* id)
{
    auto it = std::find(order.begin(), order.end(), QString::fromLatin1(id));
    return it == order.end() ? -1 : static_cast<qsizetype>(it - order.begin());
}

} // namespace

TEST_CASE("resolver: dependencies load before their dependents", "[resolver]")
{
    const auto result = resolveDependencies({node("c", {needs("b")}), node("b", {needs("a")}), node("a"), node("d")});
    CHECK(result.failures.empty());
    REQUIRE(result.loadOrder.size() == 4);
    CHECK(position(result.loadOrder, "a") < position(result.loadOrder, "b"));
    CHECK(position(result.loadOrder, "b") < position(result.loadOrder, "c"));
    CHECK(position(result.loadOrder, "d") >= 0);
}

TEST_CASE("resolver: a missing dependency fails the dependent and its dependents", "[resolver]")
{
    const auto result = resolveDependencies({node("a", {needs("nowhere", "1.0.0")}), node("b", {needs("a")}), node("c")});
    REQUIRE(result.failures.count(QStringLiteral("a")));
    CHECK(result.failures.at(QStringLiteral("a")).contains(QStringLiteral("requires 'nowhere' >= 1.0.0, which is not installed")));
    REQUIRE(result.failures.count(QStringLiteral("b")));
    CHECK(result.failures.at(QStringLiteral("b")).startsWith(QStringLiteral("requires 'a', which cannot be loaded")));
    CHECK(result.loadOrder == std::vector<QString>{QStringLiteral("c")});
}

TEST_CASE("resolver: a dependency older than required fails with both versions", "[resolver]")
{
    const auto result = resolveDependencies({node("a", {needs("b", "2.0.0")}), node("b", {}, "1.5.0")});
    REQUIRE(result.failures.count(QStringLiteral("a")));
    CHECK(result.failures.at(QStringLiteral("a"))
          == QStringLiteral("requires 'b' >= 2.0.0 but version 1.5.0 is installed: update 'b'"));
    CHECK(result.loadOrder == std::vector<QString>{QStringLiteral("b")});
    CHECK(resolveDependencies({node("a", {needs("b", "1.5.0")}), node("b", {}, "1.5.0")}).failures.empty());
}

TEST_CASE("resolver: an unavailable dependency is reported with its reason", "[resolver]")
{
    DependencyNode disabled = node("b");
    disabled.unavailableReason = QStringLiteral("it is disabled");
    const auto result = resolveDependencies({node("a", {needs("b")}), disabled});
    REQUIRE(result.failures.count(QStringLiteral("a")));
    CHECK(result.failures.at(QStringLiteral("a")) == QStringLiteral("requires 'b', which is not available: it is disabled"));
    CHECK(result.failures.count(QStringLiteral("b")) == 0); // keeps its own state
    CHECK(result.loadOrder.empty());
}

TEST_CASE("resolver: a cycle fails every member with the cycle path", "[resolver]")
{
    const auto result = resolveDependencies(
        {node("a", {needs("b")}), node("b", {needs("c")}), node("c", {needs("a")}), node("d", {needs("b")}), node("e")});
    const QString cycle = QStringLiteral("dependency cycle a -> b -> c -> a: remove one of these dependencies");
    for (const char* id : {"a", "b", "c"}) {
        REQUIRE(result.failures.count(QString::fromLatin1(id)));
        CHECK(result.failures.at(QString::fromLatin1(id)) == cycle);
    }
    REQUIRE(result.failures.count(QStringLiteral("d")));
    CHECK(result.failures.at(QStringLiteral("d")).contains(QStringLiteral("dependency cycle")));
    CHECK(result.loadOrder == std::vector<QString>{QStringLiteral("e")});
}

TEST_CASE("resolver: a plugin depending on itself is a cycle", "[resolver]")
{
    const auto result = resolveDependencies({node("a", {needs("a")})});
    REQUIRE(result.failures.count(QStringLiteral("a")));
    CHECK(result.failures.at(QStringLiteral("a")).contains(QStringLiteral("a -> a")));
    CHECK(result.loadOrder.empty());
}

TEST_CASE("resolver: a diamond loads each plugin once", "[resolver]")
{
    const auto result = resolveDependencies(
        {node("top", {needs("left"), needs("right")}), node("left", {needs("base")}), node("right", {needs("base")}), node("base")});
    CHECK(result.failures.empty());
    REQUIRE(result.loadOrder.size() == 4);
    CHECK(position(result.loadOrder, "base") == 0);
    CHECK(position(result.loadOrder, "top") == 3);
}
