#include "metrics/hdf5_util.hpp"

#include <cstddef>
#include <cstdlib>

namespace fedhpc::h5 {

// One column of a compound table: name, where it lives in the record, its
// type and its unit (written to the dataset's `units` attribute, in column
// order, and listed in src/metrics/SCHEMA.md).
#define FEDHPC_COLUMN(rec, field, h5type, unit) Column{#field, offsetof(rec, field), h5type, unit}

std::vector<Column> round_columns() {
  return {
      FEDHPC_COLUMN(RoundRecord, round, H5T_NATIVE_UINT32, "round"),
      FEDHPC_COLUMN(RoundRecord, wall_seconds, H5T_NATIVE_DOUBLE, "s"),
      FEDHPC_COLUMN(RoundRecord, elapsed_seconds, H5T_NATIVE_DOUBLE, "s"),
      FEDHPC_COLUMN(RoundRecord, train_loss, H5T_NATIVE_DOUBLE, "nats"),
      FEDHPC_COLUMN(RoundRecord, test_loss, H5T_NATIVE_DOUBLE, "nats"),
      FEDHPC_COLUMN(RoundRecord, test_accuracy, H5T_NATIVE_DOUBLE, "fraction"),
      FEDHPC_COLUMN(RoundRecord, global_train_loss, H5T_NATIVE_DOUBLE, "nats"),
      FEDHPC_COLUMN(RoundRecord, global_train_accuracy, H5T_NATIVE_DOUBLE, "fraction"),
      FEDHPC_COLUMN(RoundRecord, clients_selected, H5T_NATIVE_UINT32, "clients"),
      FEDHPC_COLUMN(RoundRecord, clients_completed, H5T_NATIVE_UINT32, "clients"),
      FEDHPC_COLUMN(RoundRecord, clients_dropped, H5T_NATIVE_UINT32, "clients"),
      FEDHPC_COLUMN(RoundRecord, clients_partial, H5T_NATIVE_UINT32, "clients"),
      FEDHPC_COLUMN(RoundRecord, clients_late, H5T_NATIVE_UINT32, "clients"),
      FEDHPC_COLUMN(RoundRecord, clients_unavailable, H5T_NATIVE_UINT32, "clients"),
      FEDHPC_COLUMN(RoundRecord, sim_round_seconds, H5T_NATIVE_DOUBLE, "simulated s"),
      FEDHPC_COLUMN(RoundRecord, sim_elapsed_seconds, H5T_NATIVE_DOUBLE, "simulated s"),
      FEDHPC_COLUMN(RoundRecord, bytes_reduced, H5T_NATIVE_UINT64, "bytes"),
      FEDHPC_COLUMN(RoundRecord, server_lr, H5T_NATIVE_DOUBLE, "1"),
      FEDHPC_COLUMN(RoundRecord, update_norm, H5T_NATIVE_DOUBLE, "model units"),
      FEDHPC_COLUMN(RoundRecord, clients_aggregated, H5T_NATIVE_UINT32, "clients"),
      FEDHPC_COLUMN(RoundRecord, adversaries_sampled, H5T_NATIVE_UINT32, "clients"),
      FEDHPC_COLUMN(RoundRecord, adversaries_aggregated, H5T_NATIVE_DOUBLE, "clients"),
      FEDHPC_COLUMN(RoundRecord, backdoor_accuracy, H5T_NATIVE_DOUBLE, "fraction"),
      FEDHPC_COLUMN(RoundRecord, epsilon, H5T_NATIVE_DOUBLE, "epsilon"),
      FEDHPC_COLUMN(RoundRecord, clip_norm, H5T_NATIVE_DOUBLE, "model units"),
      FEDHPC_COLUMN(RoundRecord, secagg_bytes, H5T_NATIVE_UINT64, "bytes"),
      FEDHPC_COLUMN(RoundRecord, secagg_seconds, H5T_NATIVE_DOUBLE, "simulated s"),
      FEDHPC_COLUMN(RoundRecord, train_seconds, H5T_NATIVE_DOUBLE, "s"),
      FEDHPC_COLUMN(RoundRecord, wait_seconds, H5T_NATIVE_DOUBLE, "s"),
      FEDHPC_COLUMN(RoundRecord, reduce_seconds, H5T_NATIVE_DOUBLE, "s"),
      FEDHPC_COLUMN(RoundRecord, server_seconds, H5T_NATIVE_DOUBLE, "s"),
      FEDHPC_COLUMN(RoundRecord, broadcast_seconds, H5T_NATIVE_DOUBLE, "s"),
      FEDHPC_COLUMN(RoundRecord, eval_seconds, H5T_NATIVE_DOUBLE, "s"),
      FEDHPC_COLUMN(RoundRecord, write_seconds, H5T_NATIVE_DOUBLE, "s"),
  };
}

std::vector<Column> client_columns() {
  return {
      FEDHPC_COLUMN(ClientRecord, round, H5T_NATIVE_UINT32, "round"),
      FEDHPC_COLUMN(ClientRecord, client, H5T_NATIVE_UINT32, "id"),
      FEDHPC_COLUMN(ClientRecord, rank, H5T_NATIVE_INT32, "id"),
      FEDHPC_COLUMN(ClientRecord, status, H5T_NATIVE_INT32, "enum"),
      FEDHPC_COLUMN(ClientRecord, num_samples, H5T_NATIVE_INT64, "samples"),
      FEDHPC_COLUMN(ClientRecord, loss, H5T_NATIVE_DOUBLE, "nats"),
      FEDHPC_COLUMN(ClientRecord, steps, H5T_NATIVE_INT64, "steps"),
      FEDHPC_COLUMN(ClientRecord, wall_seconds, H5T_NATIVE_DOUBLE, "s"),
      FEDHPC_COLUMN(ClientRecord, weight, H5T_NATIVE_DOUBLE, "1"),
      FEDHPC_COLUMN(ClientRecord, sim_download_seconds, H5T_NATIVE_DOUBLE, "simulated s"),
      FEDHPC_COLUMN(ClientRecord, sim_compute_seconds, H5T_NATIVE_DOUBLE, "simulated s"),
      FEDHPC_COLUMN(ClientRecord, sim_upload_seconds, H5T_NATIVE_DOUBLE, "simulated s"),
      FEDHPC_COLUMN(ClientRecord, adversary, H5T_NATIVE_UINT8, "flag"),
      FEDHPC_COLUMN(ClientRecord, test_accuracy, H5T_NATIVE_DOUBLE, "fraction"),
      FEDHPC_COLUMN(ClientRecord, test_samples, H5T_NATIVE_INT64, "samples"),
  };
}

std::vector<Column> timing_columns() {
  return {
      FEDHPC_COLUMN(TimingRecord, round, H5T_NATIVE_UINT32, "round"),
      FEDHPC_COLUMN(TimingRecord, rank, H5T_NATIVE_INT32, "id"),
      FEDHPC_COLUMN(TimingRecord, round_seconds, H5T_NATIVE_DOUBLE, "s"),
      FEDHPC_COLUMN(TimingRecord, train_seconds, H5T_NATIVE_DOUBLE, "s"),
      FEDHPC_COLUMN(TimingRecord, wait_seconds, H5T_NATIVE_DOUBLE, "s"),
      FEDHPC_COLUMN(TimingRecord, reduce_seconds, H5T_NATIVE_DOUBLE, "s"),
      FEDHPC_COLUMN(TimingRecord, reduce_node_seconds, H5T_NATIVE_DOUBLE, "s"),
      FEDHPC_COLUMN(TimingRecord, reduce_cross_seconds, H5T_NATIVE_DOUBLE, "s"),
      FEDHPC_COLUMN(TimingRecord, server_seconds, H5T_NATIVE_DOUBLE, "s"),
      FEDHPC_COLUMN(TimingRecord, broadcast_seconds, H5T_NATIVE_DOUBLE, "s"),
      FEDHPC_COLUMN(TimingRecord, eval_seconds, H5T_NATIVE_DOUBLE, "s"),
      FEDHPC_COLUMN(TimingRecord, write_seconds, H5T_NATIVE_DOUBLE, "s"),
      FEDHPC_COLUMN(TimingRecord, clients_trained, H5T_NATIVE_UINT32, "clients"),
  };
}

std::vector<Column> checkpoint_columns() {
  return {
      FEDHPC_COLUMN(CheckpointRow, round, H5T_NATIVE_UINT32, "round"),
      FEDHPC_COLUMN(CheckpointRow, slot, H5T_NATIVE_UINT32, "id"),
      FEDHPC_COLUMN(CheckpointRow, sim_elapsed_seconds, H5T_NATIVE_DOUBLE, "simulated s"),
      FEDHPC_COLUMN(CheckpointRow, elapsed_seconds, H5T_NATIVE_DOUBLE, "s"),
      FEDHPC_COLUMN(CheckpointRow, clients_with_state, H5T_NATIVE_UINT32, "clients"),
  };
}

Handle compound_type(const std::vector<Column>& columns, std::size_t size) {
  Handle t(H5Tcreate(H5T_COMPOUND, size), H5Tclose);
  for (const auto& c : columns) H5Tinsert(t.get(), c.name, c.offset, c.type);
  return t;
}

Handle rounds_type() { return compound_type(round_columns(), sizeof(RoundRecord)); }
Handle clients_type() { return compound_type(client_columns(), sizeof(ClientRecord)); }
Handle timings_type() { return compound_type(timing_columns(), sizeof(TimingRecord)); }
Handle checkpoints_type() { return compound_type(checkpoint_columns(), sizeof(CheckpointRow)); }

Handle field_type(const char* name, hid_t type, std::size_t size) {
  Handle t(H5Tcreate(H5T_COMPOUND, size), H5Tclose);
  H5Tinsert(t.get(), name, 0, type);
  return t;
}

Handle string_type() {
  Handle t(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(t.get(), H5T_VARIABLE);
  H5Tset_cset(t.get(), H5T_CSET_UTF8);
  return t;
}

// FEDHPC_HDF5_DEBUG=1 keeps HDF5's own error stack printing, for diagnosis.
void silence_errors() {
  if (!std::getenv("FEDHPC_HDF5_DEBUG")) H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

Handle swmr_file_access() {
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_LATEST, H5F_LIBVER_LATEST);
  return fapl;
}

}  // namespace fedhpc::h5
