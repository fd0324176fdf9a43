// Data-parallel training across processes (SPEC M10) with LibTorch's c10d and the Gloo backend.
//
// Every process runs the same train() call with its own rank. The host fills rank, world_size and
// dist_init of slt_train_options, usually from MASTER_ADDR / MASTER_PORT / RANK / WORLD_SIZE or from
// SLURM_PROCID / SLURM_NTASKS. Accepted rendezvous strings (dist_init):
//   "tcp://HOST:PORT"   a TCPStore: rank 0 listens on PORT, the others connect to HOST:PORT;
//   "env://"            the same with HOST and PORT from MASTER_ADDR and MASTER_PORT;
//   "file:///PATH" or "/PATH"  a FileStore on a file every rank can reach (a shared filesystem);
//                      the file must not exist yet (a stale one from an earlier run confuses the
//                      rendezvous: use a fresh name per run).
// Gloo sends tensors over the network interface of GLOO_SOCKET_IFNAME when set; otherwise over the
// interface the machine's hostname resolves to, or loopback when the rendezvous host is local.
//
// This header is free of c10d and Gloo types so only data_parallel.cpp pays for their headers.
#pragma once

#include <ATen/ATen.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace slt::unet::training {

class DataParallelGroup {
public:
    // Joins the group; blocks until all `worldSize` ranks have arrived or `timeout` passed.
    // Throws slt::sdk::Error: SLT_ERR_INVALID_ARGUMENT for a bad rendezvous string or rank,
    // SLT_ERR_IO when the rendezvous fails (with c10d's message).
    static std::unique_ptr<DataParallelGroup> join(int32_t rank, int32_t worldSize, const std::string& init,
                                                   std::chrono::milliseconds timeout);
    ~DataParallelGroup();

    int32_t rank() const { return rank_; }
    int32_t worldSize() const { return worldSize_; }

    // In place, on one contiguous CPU tensor (flatten several tensors into one before calling).
    void broadcastFromRankZero(at::Tensor& buffer);
    void allReduceSum(at::Tensor& buffer);

private:
    struct Impl;
    DataParallelGroup(int32_t rank, int32_t worldSize, std::unique_ptr<Impl> impl);
    int32_t rank_;
    int32_t worldSize_;
    std::unique_ptr<Impl> impl_;
};

} // namespace slt::unet::training
