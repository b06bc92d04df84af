#include "metrics/hdf5_util.hpp"

#include <cstddef>

namespace fedhpc::h5 {

#define FEDHPC_H5_FIELD(type, rec, field, h5type) \
  H5Tinsert(type, #field, offsetof(rec, field), h5type)

Handle rounds_type() {
  Handle t(H5Tcreate(H5T_COMPOUND, sizeof(RoundRecord)), H5Tclose);
  const hid_t id = t.get();
  FEDHPC_H5_FIELD(id, RoundRecord, round, H5T_NATIVE_UINT32);
  FEDHPC_H5_FIELD(id, RoundRecord, wall_seconds, H5T_NATIVE_DOUBLE);
  FEDHPC_H5_FIELD(id, RoundRecord, elapsed_seconds, H5T_NATIVE_DOUBLE);
  FEDHPC_H5_FIELD(id, RoundRecord, train_loss, H5T_NATIVE_DOUBLE);
  FEDHPC_H5_FIELD(id, RoundRecord, test_loss, H5T_NATIVE_DOUBLE);
  FEDHPC_H5_FIELD(id, RoundRecord, test_accuracy, H5T_NATIVE_DOUBLE);
  FEDHPC_H5_FIELD(id, RoundRecord, global_train_loss, H5T_NATIVE_DOUBLE);
  FEDHPC_H5_FIELD(id, RoundRecord, global_train_accuracy, H5T_NATIVE_DOUBLE);
  FEDHPC_H5_FIELD(id, RoundRecord, clients_selected, H5T_NATIVE_UINT32);
  FEDHPC_H5_FIELD(id, RoundRecord, clients_completed, H5T_NATIVE_UINT32);
  FEDHPC_H5_FIELD(id, RoundRecord, clients_dropped, H5T_NATIVE_UINT32);
  FEDHPC_H5_FIELD(id, RoundRecord, clients_partial, H5T_NATIVE_UINT32);
  FEDHPC_H5_FIELD(id, RoundRecord, clients_late, H5T_NATIVE_UINT32);
  FEDHPC_H5_FIELD(id, RoundRecord, clients_unavailable, H5T_NATIVE_UINT32);
  FEDHPC_H5_FIELD(id, RoundRecord, sim_round_seconds, H5T_NATIVE_DOUBLE);
  FEDHPC_H5_FIELD(id, RoundRecord, sim_elapsed_seconds, H5T_NATIVE_DOUBLE);
  FEDHPC_H5_FIELD(id, RoundRecord, bytes_reduced, H5T_NATIVE_UINT64);
  FEDHPC_H5_FIELD(id, RoundRecord, server_lr, H5T_NATIVE_DOUBLE);
  FEDHPC_H5_FIELD(id, RoundRecord, update_norm, H5T_NATIVE_DOUBLE);
  FEDHPC_H5_FIELD(id, RoundRecord, clients_aggregated, H5T_NATIVE_UINT32);
  FEDHPC_H5_FIELD(id, RoundRecord, train_seconds, H5T_NATIVE_DOUBLE);
  FEDHPC_H5_FIELD(id, RoundRecord, wait_seconds, H5T_NATIVE_DOUBLE);
  FEDHPC_H5_FIELD(id, RoundRecord, reduce_seconds, H5T_NATIVE_DOUBLE);
  FEDHPC_H5_FIELD(id, RoundRecord, eval_seconds, H5T_NATIVE_DOUBLE);
  FEDHPC_H5_FIELD(id, RoundRecord, write_seconds, H5T_NATIVE_DOUBLE);
  return t;
}

Handle clients_type() {
  Handle t(H5Tcreate(H5T_COMPOUND, sizeof(ClientRecord)), H5Tclose);
  const hid_t id = t.get();
  FEDHPC_H5_FIELD(id, ClientRecord, round, H5T_NATIVE_UINT32);
  FEDHPC_H5_FIELD(id, ClientRecord, client, H5T_NATIVE_UINT32);
  FEDHPC_H5_FIELD(id, ClientRecord, rank, H5T_NATIVE_INT32);
  FEDHPC_H5_FIELD(id, ClientRecord, status, H5T_NATIVE_INT32);
  FEDHPC_H5_FIELD(id, ClientRecord, num_samples, H5T_NATIVE_INT64);
  FEDHPC_H5_FIELD(id, ClientRecord, loss, H5T_NATIVE_DOUBLE);
  FEDHPC_H5_FIELD(id, ClientRecord, steps, H5T_NATIVE_INT64);
  FEDHPC_H5_FIELD(id, ClientRecord, wall_seconds, H5T_NATIVE_DOUBLE);
  FEDHPC_H5_FIELD(id, ClientRecord, weight, H5T_NATIVE_DOUBLE);
  FEDHPC_H5_FIELD(id, ClientRecord, sim_download_seconds, H5T_NATIVE_DOUBLE);
  FEDHPC_H5_FIELD(id, ClientRecord, sim_compute_seconds, H5T_NATIVE_DOUBLE);
  FEDHPC_H5_FIELD(id, ClientRecord, sim_upload_seconds, H5T_NATIVE_DOUBLE);
  return t;
}

Handle string_type() {
  Handle t(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(t.get(), H5T_VARIABLE);
  H5Tset_cset(t.get(), H5T_CSET_UTF8);
  return t;
}

void silence_errors() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

}  // namespace fedhpc::h5
