#include "training/data_parallel.hpp"

#include <slt/sdk/cpp/error.hpp>

#include <torch/csrc/distributed/c10d/FileStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <cstdlib>
#include <filesystem>
#include <vector>

namespace slt::unet::training {

struct DataParallelGroup::Impl {
    c10::intrusive_ptr<c10d::Store> store;
    c10::intrusive_ptr<c10d::ProcessGroupGloo> group;
};

namespace {

using slt::sdk::Error;

struct Rendezvous {
    bool tcp = false;
    std::string host;   // tcp
    uint16_t port = 0;  // tcp
    std::string path;   // file
};

uint16_t parsePort(const std::string& text, const std::string& init)
{
    char* end = nullptr;
    const long port = std::strtol(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || port < 1 || port > 65535)
        throw Error(SLT_ERR_INVALID_ARGUMENT, "dist_init '" + init + "': port must be a number in 1..65535");
    return static_cast<uint16_t>(port);
}

Rendezvous tcpRendezvous(const std::string& hostPort, const std::string& init)
{
    const size_t colon = hostPort.rfind(':');
    if (colon == std::string::npos || colon == 0)
        throw Error(SLT_ERR_INVALID_ARGUMENT, "dist_init '" + init + "': expected tcp://HOST:PORT");
    return {true, hostPort.substr(0, colon), parsePort(hostPort.substr(colon + 1), init), {}};
}

// c10d's FileStore waits (up to the timeout) for a file it cannot open, so a missing directory
// would look like a hang: refuse it up front.
Rendezvous fileRendezvous(const std::string& path, const std::string& init)
{
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    if (!std::filesystem::is_directory(parent))
        throw Error(SLT_ERR_INVALID_ARGUMENT, "dist_init '" + init + "': directory '" + parent.string() + "' does not exist");
    return {false, {}, 0, path};
}

Rendezvous parseRendezvous(const std::string& init)
{
    if (init.rfind("tcp://", 0) == 0) return tcpRendezvous(init.substr(6), init);
    if (init == "env://") {
        const char* host = std::getenv("MASTER_ADDR");
        const char* port = std::getenv("MASTER_PORT");
        if (!host || !port || !*host)
            throw Error(SLT_ERR_INVALID_ARGUMENT, "dist_init 'env://' needs MASTER_ADDR and MASTER_PORT in the environment");
        return {true, host, parsePort(port, init), {}};
    }
    if (init.rfind("file://", 0) == 0 && init.size() > 7) return fileRendezvous(init.substr(7), init);
    if (!init.empty() && init[0] == '/') return fileRendezvous(init, init);
    throw Error(SLT_ERR_INVALID_ARGUMENT,
                "dist_init '" + init + "': expected tcp://HOST:PORT, env:// or a file path (file:///PATH)");
}

bool isLoopback(const std::string& host)
{
    return host == "localhost" || host.rfind("127.", 0) == 0 || host == "::1";
}

std::shared_ptr<::gloo::transport::Device> glooDevice(const Rendezvous& r)
{
    if (const char* ifname = std::getenv("GLOO_SOCKET_IFNAME"); ifname && *ifname)
        return c10d::ProcessGroupGloo::createDeviceForInterface(ifname);
    if (r.tcp && isLoopback(r.host)) return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
    return c10d::ProcessGroupGloo::createDefaultDevice();
}

c10::intrusive_ptr<c10d::Store> openStore(const Rendezvous& r, int32_t rank, int32_t worldSize,
                                          std::chrono::milliseconds timeout)
{
    if (!r.tcp) return c10::make_intrusive<c10d::FileStore>(r.path, worldSize);
    c10d::TCPStoreOptions options;
    options.port = r.port;
    options.isServer = rank == 0;
    options.numWorkers = static_cast<size_t>(worldSize);
    options.waitWorkers = true;
    options.timeout = timeout;
    return c10::make_intrusive<c10d::TCPStore>(r.host, options);
}

} // namespace

std::unique_ptr<DataParallelGroup> DataParallelGroup::join(int32_t rank, int32_t worldSize, const std::string& init,
                                                           std::chrono::milliseconds timeout)
{
    if (worldSize < 1 || rank < 0 || rank >= worldSize)
        throw Error(SLT_ERR_INVALID_ARGUMENT, "rank " + std::to_string(rank) + " is outside world size " +
                                                  std::to_string(worldSize));
    const Rendezvous rendezvous = parseRendezvous(init);
    auto impl = std::make_unique<Impl>();
    try {
        impl->store = openStore(rendezvous, rank, worldSize, timeout);
        auto options = c10d::ProcessGroupGloo::Options::create(timeout);
        options->devices.push_back(glooDevice(rendezvous));
        impl->group = c10::make_intrusive<c10d::ProcessGroupGloo>(impl->store, rank, worldSize, options);
    } catch (const c10::Error& e) {
        throw Error(SLT_ERR_IO, "data-parallel rendezvous '" + init + "' (rank " + std::to_string(rank) + " of " +
                                    std::to_string(worldSize) + ") failed: " + e.what_without_backtrace());
    } catch (const std::exception& e) {
        throw Error(SLT_ERR_IO, "data-parallel rendezvous '" + init + "' (rank " + std::to_string(rank) + " of " +
                                    std::to_string(worldSize) + ") failed: " + e.what());
    }
    return std::unique_ptr<DataParallelGroup>(new DataParallelGroup(rank, worldSize, std::move(impl)));
}

DataParallelGroup::DataParallelGroup(int32_t rank, int32_t worldSize, std::unique_ptr<Impl> impl)
    : rank_(rank), worldSize_(worldSize), impl_(std::move(impl))
{
}

DataParallelGroup::~DataParallelGroup() = default;

void DataParallelGroup::broadcastFromRankZero(at::Tensor& buffer)
{
    std::vector<at::Tensor> tensors{buffer};
    c10d::BroadcastOptions options;
    options.rootRank = 0;
    try {
        impl_->group->broadcast(tensors, options)->wait();
    } catch (const c10::Error& e) {
        throw Error(SLT_ERR_IO, std::string("data-parallel broadcast failed (did another rank stop?): ") + e.what_without_backtrace());
    }
}

void DataParallelGroup::allReduceSum(at::Tensor& buffer)
{
    std::vector<at::Tensor> tensors{buffer};
    try {
        impl_->group->allreduce(tensors)->wait();
    } catch (const c10::Error& e) {
        throw Error(SLT_ERR_IO, std::string("data-parallel all-reduce failed (did another rank stop?): ") + e.what_without_backtrace());
    }
}

} // namespace slt::unet::training
