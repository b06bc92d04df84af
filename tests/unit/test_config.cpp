#include <gtest/gtest.h>

#include "config/load.hpp"

using namespace fedhpc;

namespace {

// Returns the problems a config produces (empty if it loads).
std::vector<std::string> problems(const std::string& yaml, std::vector<std::string> overrides = {}) {
  try {
    load_config(yaml, "s.yaml", overrides);
  } catch (const ConfigError& e) {
    return e.problems();
  }
  return {};
}

const char* kGood = R"(name: t
seed: 7
data:
  dataset: synthetic
  num_clients: 30
  partition: { kind: natural }
model: { name: logreg }
train: { rounds: 200, local_epochs: 20, batch_size: 10, lr: 0.01 }
strategy: { name: fedavg, clients_per_round: 10 }
runtime: { reduce: fast, aggregator: dedicated }
output: { file: "x/{name}.h5", eval_every: 5 }
)";

}  // namespace

TEST(Config, ReadsEveryKeyOfTheDesignExample) {
  const RunConfig c = load_config(kGood, "s.yaml");
  EXPECT_EQ(c.name, "t");
  EXPECT_EQ(c.seed, 7u);
  EXPECT_EQ(c.data.dataset, DatasetKind::Synthetic);
  EXPECT_EQ(c.data.num_clients, 30);
  EXPECT_EQ(c.data.partition.kind, PartitionKind::Natural);
  EXPECT_EQ(c.model.name, "logreg");
  EXPECT_EQ(c.train.rounds, 200);
  EXPECT_EQ(c.train.local_epochs, 20);
  EXPECT_EQ(c.train.batch_size, 10);
  EXPECT_DOUBLE_EQ(c.train.lr, 0.01);
  EXPECT_EQ(c.strategy.clients_per_round, 10);
  EXPECT_EQ(c.runtime.reduce, ReduceMode::Fast);
  EXPECT_EQ(c.runtime.aggregator, AggregatorLayout::Dedicated);
  EXPECT_EQ(c.output.file, "x/{name}.h5");
  EXPECT_EQ(c.output.eval_every, 5);
}

TEST(Config, DefaultsApplyToAbsentKeys) {
  const RunConfig c = load_config("name: d\n", "s.yaml");
  EXPECT_EQ(c.runtime.reduce, ReduceMode::Exact);
  EXPECT_EQ(c.runtime.aggregator, AggregatorLayout::Colocated);
  EXPECT_EQ(c.data.partition.kind, PartitionKind::Iid);
  EXPECT_FALSE(c.output.overwrite);
}

TEST(Config, OverridesWinAndAreTyped) {
  const RunConfig c = load_config(kGood, "s.yaml", std::vector<std::string>{"train.rounds=3", "train.lr=0.5",
                                                                          "output.overwrite=true", "data.partition.alpha=0.1"});
  EXPECT_EQ(c.train.rounds, 3);
  EXPECT_DOUBLE_EQ(c.train.lr, 0.5);
  EXPECT_TRUE(c.output.overwrite);
  EXPECT_DOUBLE_EQ(c.data.partition.alpha, 0.1);
}

TEST(Config, ResolvedYamlRoundTrips) {
  const RunConfig a = load_config(kGood, "s.yaml");
  const RunConfig b = load_config(to_yaml(a), "resolved.yaml");
  EXPECT_EQ(to_yaml(a), to_yaml(b));
  EXPECT_NE(to_yaml(a).find("lr: 0.01\n"), std::string::npos);
}

TEST(ConfigErrors, SyntaxErrorNamesLineAndColumn) {
  EXPECT_EQ(problems("name: x\ntrain: { rounds: 3\n"),
            std::vector<std::string>{"s.yaml:3:1: YAML syntax error: end of map flow not found"});
}

TEST(ConfigErrors, WrongTypeNamesKeyExpectedAndFound) {
  EXPECT_EQ(problems("train:\n  rounds: ten\n"),
            std::vector<std::string>{"s.yaml:2:11: train.rounds: expected an integer, found 'ten'"});
}

TEST(ConfigErrors, OutOfRange) {
  EXPECT_EQ(problems("train:\n  rounds: -5\n  lr: 0\n"),
            (std::vector<std::string>{"s.yaml:2:11: train.rounds: expected an integer >= 1, found -5",
                                      "s.yaml:3:7: train.lr: expected a number > 0, found 0"}));
}

TEST(ConfigErrors, UnknownKeysSuggestTheClosestKnownOne) {
  EXPECT_EQ(problems("trian:\n  rounds: 3\n"),
            std::vector<std::string>{"s.yaml:1:1: trian: unknown key (did you mean 'train'?)"});
  EXPECT_EQ(problems("train:\n  round: 3\n"),
            std::vector<std::string>{"s.yaml:2:3: train.round: unknown key (did you mean 'train.rounds'?)"});
}

TEST(ConfigErrors, BadEnumListsChoicesAndSuggests) {
  EXPECT_EQ(problems("data:\n  partition: { kind: dirichlt }\n"),
            std::vector<std::string>{"s.yaml:2:22: data.partition.kind: expected one of iid, shards, dirichlet, "
                                     "label_k, quantity, natural, found 'dirichlt' (did you mean 'dirichlet'?)"});
}

TEST(ConfigErrors, AllProblemsAtOnce) {
  auto p = problems("train: { rounds: 0, batch_size: x }\nstrategy: { name: fedavg, clients_per_round: -1 }\nbogus: 1\n");
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[0], "s.yaml:1:18: train.rounds: expected an integer >= 1, found 0");
  EXPECT_EQ(p[1], "s.yaml:1:33: train.batch_size: expected an integer, found 'x'");
  EXPECT_EQ(p[2], "s.yaml:2:46: strategy.clients_per_round: expected an integer >= 1, found -1");
  EXPECT_EQ(p[3], "s.yaml:3:1: bogus: unknown key");
}

TEST(ConfigErrors, CrossFieldChecksNameTheKey) {
  EXPECT_EQ(problems("data: { num_clients: 5 }\nstrategy: { clients_per_round: 6 }\n"),
            std::vector<std::string>{
                "s.yaml:2:32: strategy.clients_per_round: expected at most data.num_clients (5), found 6"});
  EXPECT_EQ(problems("model: { name: cnn_simple }\ndata: { dataset: synthetic }\n"),
            std::vector<std::string>{"s.yaml:1:16: model.name: cnn_simple needs 1x28x28 images, but data.dataset "
                                     "synthetic has 60 features"});
}

TEST(ConfigErrors, SectionThatIsNotAMapping) {
  EXPECT_EQ(problems("train: 5\n"), std::vector<std::string>{"s.yaml:1:8: train: expected a mapping, found '5'"});
}

TEST(ConfigErrors, OverridesAreNamedAsTheSource) {
  EXPECT_EQ(problems("name: x\n", {"train.rounds=abc"}),
            std::vector<std::string>{"override 'train.rounds=abc': train.rounds: expected an integer, found 'abc'"});
  EXPECT_EQ(problems("name: x\n", {"train.roundz=5"}),
            std::vector<std::string>{"override 'train.roundz=5': train.roundz: unknown key (did you mean "
                                     "'train.rounds'?)"});
  EXPECT_EQ(problems("name: x\n", {"trainrounds"}),
            std::vector<std::string>{"override 'trainrounds': expected key=value (for example train.rounds=20)"});
}
