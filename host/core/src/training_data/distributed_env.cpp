#include "slt/core/training_data/distributed_env.hpp"

namespace slt::core::training_data {
namespace {

Result<int32_t> integerVariable(const QProcessEnvironment& environment, const QString& name, int32_t minimum)
{
    bool ok = false;
    const QString text = environment.value(name);
    const int value = text.trimmed().toInt(&ok);
    if (!ok || value < minimum)
        return Result<int32_t>::failure(
            QStringLiteral("the environment variable %1 must be an integer >= %2, got '%3'").arg(name).arg(minimum).arg(text));
    return static_cast<int32_t>(value);
}

} // namespace

Result<DistributedSetup> distributedSetupFrom(const QProcessEnvironment& environment)
{
    DistributedSetup setup;
    QString rankName;
    QString worldName;
    if (environment.contains(QStringLiteral("RANK")) || environment.contains(QStringLiteral("WORLD_SIZE"))) {
        rankName = QStringLiteral("RANK");
        worldName = QStringLiteral("WORLD_SIZE");
        setup.source = QStringLiteral("RANK/WORLD_SIZE");
    } else if (environment.contains(QStringLiteral("SLURM_PROCID")) && environment.contains(QStringLiteral("SLURM_NTASKS"))) {
        rankName = QStringLiteral("SLURM_PROCID");
        worldName = QStringLiteral("SLURM_NTASKS");
        setup.source = QStringLiteral("SLURM");
    } else {
        return setup;
    }
    auto rank = integerVariable(environment, rankName, 0);
    if (!rank)
        return Result<DistributedSetup>::failure(rank.error());
    auto world = integerVariable(environment, worldName, 1);
    if (!world)
        return Result<DistributedSetup>::failure(world.error());
    if (*rank >= *world)
        return Result<DistributedSetup>::failure(
            QStringLiteral("%1=%2 is not below %3=%4").arg(rankName).arg(*rank).arg(worldName).arg(*world));
    setup.rank = *rank;
    setup.worldSize = *world;
    if (setup.worldSize == 1) {
        setup.source.clear(); // a single process needs no rendezvous
        return setup;
    }
    const QString address = environment.value(QStringLiteral("MASTER_ADDR")).trimmed();
    if (address.isEmpty())
        return Result<DistributedSetup>::failure(
            QStringLiteral("%1=%2 asks for data-parallel training, but MASTER_ADDR (the host of rank 0) is not set")
                .arg(worldName)
                .arg(*world));
    int32_t port = kDefaultMasterPort;
    if (environment.contains(QStringLiteral("MASTER_PORT"))) {
        auto parsed = integerVariable(environment, QStringLiteral("MASTER_PORT"), 1);
        if (!parsed || *parsed > 65535)
            return Result<DistributedSetup>::failure(
                QStringLiteral("MASTER_PORT must be a port number 1..65535, got '%1'").arg(environment.value(QStringLiteral("MASTER_PORT"))));
        port = *parsed;
    }
    setup.init = QStringLiteral("tcp://%1:%2").arg(address).arg(port);
    return setup;
}

} // namespace slt::core::training_data
