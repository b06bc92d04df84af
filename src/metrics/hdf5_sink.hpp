#pragma once
// The results file (src/metrics/SCHEMA.md): one HDF5 file per run, written by
// rank 0 only. Rows are appended to chunked, compressed, extendible datasets
// and flushed every round, in SWMR mode once the rounds start: a reader can
// follow the file live, and a killed job's file still opens and holds every
// finished round. The root attribute `complete` turns 1 only after the final
// model is written. Checkpoints go to two fixed slots written alternately; a
// row of /checkpoints, appended only after its slot is on disk, says which
// slot holds which round, so a kill mid-checkpoint leaves the previous one.
// The sink holds the file's writer lock (metrics/writer_lock.hpp) from before
// it creates or reopens the file until after it has closed it.
#include <cstdint>
#include <memory>
#include <string>

#include "metrics/sink.hpp"
#include "metrics/writer_lock.hpp"

namespace fedhpc {

class Hdf5Sink final : public MetricsSink {
 public:
  // Creates the file (and its folder). Fails if it exists, unless overwrite.
  Hdf5Sink(const std::string& path, bool overwrite);
  // Reopens a run's file to continue it (fedhpc run --resume): the rows after
  // its latest checkpoint are dropped, and `state` receives that checkpoint
  // (round 0 when it has none: the run starts over in the same file). `note`
  // is appended to the `resumes` attribute.
  static std::unique_ptr<Hdf5Sink> reopen(const std::string& path, CheckpointState& state, const std::string& note);
  // Reads everything reopen() reads, read-only, and writes nothing; returns
  // the checkpoint reopen() would. Run in a child process before a resume,
  // it finds a file that crashes libhdf5 without the crash taking the run
  // down (core/in_child.hpp).
  static CheckpointState probe_resume(const std::string& path);
  ~Hdf5Sink() override;

  void context(const RunContext& ctx) override;
  void partition(const PartitionSummary& summary) override;
  void round(const RoundRecord& record, std::span<const ClientRecord> clients,
             std::span<const TimingRecord> timings) override;
  void checkpoint(const CheckpointState& state) override;
  void finish(std::span<const float> final_model) override;
  void stopped(const std::string& reason, std::uint32_t last_round) override;

  const std::string& path() const { return path_; }

 private:
  struct Impl;
  Hdf5Sink();
  static std::uint64_t read_resume_point(Impl& m, const std::string& path, CheckpointState& state);
  WriterLock lock_;  // declared first: released after the file is closed
  std::unique_ptr<Impl> impl_;
  std::string path_;
};

std::string hdf5_version();

}  // namespace fedhpc
