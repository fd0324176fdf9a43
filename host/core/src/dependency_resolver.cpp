#include "slt/core/dependency_resolver.hpp"

#include "slt/core/semver.hpp"

#include <QStringList>

namespace slt::core {
namespace {

enum class Mark { Unvisited, Visiting, Done };

class Resolver {
public:
    explicit Resolver(const std::vector<DependencyNode>& nodes)
    {
        for (const DependencyNode& node : nodes)
            byId_.emplace(node.id, &node);
    }

    DependencyResolution run(const std::vector<DependencyNode>& nodes)
    {
        for (const DependencyNode& node : nodes) {
            if (node.unavailableReason.isEmpty() && mark(node.id) == Mark::Unvisited)
                visit(node);
        }
        return std::move(result_);
    }

private:
    Mark mark(const QString& id) const
    {
        auto it = marks_.find(id);
        return it == marks_.end() ? Mark::Unvisited : it->second;
    }

    bool failed(const QString& id) const { return result_.failures.count(id) > 0; }

    // The first reason wins: a plugin in a cycle keeps the cycle message.
    void fail(const QString& id, const QString& message)
    {
        result_.failures.emplace(id, message);
    }

    void visit(const DependencyNode& node)
    {
        marks_[node.id] = Mark::Visiting;
        stack_.push_back(node.id);
        for (const PluginDependency& dependency : node.dependencies)
            checkDependency(node, dependency);
        stack_.pop_back();
        marks_[node.id] = Mark::Done;
        if (!failed(node.id))
            result_.loadOrder.push_back(node.id);
    }

    void checkDependency(const DependencyNode& node, const PluginDependency& dependency)
    {
        const QString wanted = dependency.minimumVersion.isEmpty()
                                   ? QStringLiteral("'%1'").arg(dependency.id)
                                   : QStringLiteral("'%1' >= %2").arg(dependency.id, dependency.minimumVersion);
        auto found = byId_.find(dependency.id);
        if (found == byId_.end()) {
            fail(node.id, QStringLiteral("requires %1, which is not installed in any plugin folder of the "
                                         "search path: install it or remove the dependency")
                              .arg(wanted));
            return;
        }
        const DependencyNode& target = *found->second;
        if (!target.unavailableReason.isEmpty()) {
            fail(node.id, QStringLiteral("requires %1, which is not available: %2").arg(wanted, target.unavailableReason));
            return;
        }
        if (!dependency.minimumVersion.isEmpty() && compareVersions(target.version, dependency.minimumVersion) < 0) {
            fail(node.id, QStringLiteral("requires %1 but version %2 is installed: update '%3'")
                              .arg(wanted, target.version, dependency.id));
            return;
        }
        switch (mark(target.id)) {
        case Mark::Visiting:
            failCycle(target.id);
            return;
        case Mark::Unvisited:
            visit(target);
            break;
        case Mark::Done:
            break;
        }
        if (failed(target.id))
            fail(node.id, QStringLiteral("requires '%1', which cannot be loaded: %2")
                              .arg(target.id, result_.failures.at(target.id)));
    }

    // The stack holds the path from the first visited node to the current one; the cycle is the part
    // from `start` to the top, closed by `start` again.
    void failCycle(const QString& start)
    {
        QStringList path;
        bool inCycle = false;
        for (const QString& id : stack_) {
            inCycle = inCycle || id == start;
            if (inCycle)
                path << id;
        }
        path << start;
        const QString message = QStringLiteral("dependency cycle %1: remove one of these dependencies")
                                    .arg(path.join(QStringLiteral(" -> ")));
        for (int i = 0; i + 1 < path.size(); ++i)
            fail(path[i], message);
    }

    std::map<QString, const DependencyNode*> byId_;
    std::map<QString, Mark> marks_;
    std::vector<QString> stack_;
    DependencyResolution result_;
};

} // namespace

DependencyResolution resolveDependencies(const std::vector<DependencyNode>& nodes)
{
    return Resolver(nodes).run(nodes);
}

} // namespace slt::core
