package io.pioreactor.leader.profiles;

import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.Names;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads upstream's experiment-profile YAML ({@code experiment_profile_name}, {@code metadata}, {@code common.jobs},
 * {@code pioreactors.<unit>.jobs}, actions with {@code t} or {@code hours_elapsed}). It works on YAML nodes, not on
 * loaded maps, so every refusal names the line and column: unknown fields anywhere, wrong types, bad times.
 */
public final class ProfileParser {
  /** The API takes bodies up to 64 KiB; a profile is text well under that. */
  public static final int MAX_CHARS = 60 * 1024;
  private static final Set<String> TOP = Set.of("version", "experiment_profile_name", "metadata", "plugins", "stop_on_exit",
      "common", "pioreactors", "inputs");
  private static final Set<String> METADATA = Set.of("author", "description");
  private static final Set<String> JOB = Set.of("actions", "description", "logging");
  private static final Set<String> UNIT_BLOCK = Set.of("jobs", "label");
  private static final Set<String> ACTION = Set.of("type", "t", "hours_elapsed", "options", "args");

  private ProfileParser() {}

  public static ExperimentProfile parse(String yaml) {
    if (yaml == null || yaml.isBlank()) {
      throw new ProfileException("the profile is empty");
    }
    if (yaml.length() > MAX_CHARS) {
      throw new ProfileException("the profile is larger than " + MAX_CHARS / 1024 + " KiB");
    }
    Node root;
    try {
      LoadSettings settings = LoadSettings.builder().setLabel("profile").setAllowDuplicateKeys(false)
          .setMaxAliasesForCollections(20).setCodePointLimit(MAX_CHARS * 2).build();
      root = new Compose(settings).composeString(yaml).orElseThrow(() -> new ProfileException("the profile is empty"));
    } catch (MarkedYamlEngineException e) {
      throw new ProfileException(at(e.getProblemMark()) + "not valid YAML: " + e.getProblem());
    } catch (YamlEngineException e) {
      throw new ProfileException("not valid YAML: " + e.getMessage());
    }
    Map<String, Node> top = mapping(root, "the profile", TOP);
    if (top.containsKey("version")) {
      String v = string(top.get("version"), "version");
      if (!v.equals("1.0") && !v.equals("1")) {
        throw new ProfileException(at(top.get("version")) + "version '" + v + "' is not supported (this leader reads \"1.0\")");
      }
    }
    if (!top.containsKey("experiment_profile_name")) {
      throw new ProfileException(at(root) + "'experiment_profile_name' is required");
    }
    String name = string(top.get("experiment_profile_name"), "experiment_profile_name");
    if (name.isBlank()) {
      throw new ProfileException(at(top.get("experiment_profile_name")) + "'experiment_profile_name' cannot be empty");
    }
    String description = null;
    if (top.containsKey("metadata")) {
      Map<String, Node> meta = mapping(top.get("metadata"), "metadata", METADATA);
      if (meta.containsKey("description")) {
        description = string(meta.get("description"), "metadata.description");
      }
      if (meta.containsKey("author")) {
        string(meta.get("author"), "metadata.author");
      }
    }
    if (top.containsKey("plugins") && !(top.get("plugins") instanceof SequenceNode s && s.getValue().isEmpty())) {
      throw new ProfileException(at(top.get("plugins")) + "plugins are not supported by this leader; remove the 'plugins' list");
    }
    if (top.containsKey("inputs") && !(top.get("inputs") instanceof MappingNode m && m.getValue().isEmpty())) {
      throw new ProfileException(at(top.get("inputs")) + "'inputs' (expressions) are not supported by this leader");
    }
    List<ProfileAction> actions = new ArrayList<>();
    if (top.containsKey("common")) {
      Map<String, Node> common = mapping(top.get("common"), "common", Set.of("jobs"));
      if (common.containsKey("jobs")) {
        jobs(common.get("jobs"), null, actions);
      }
    }
    if (top.containsKey("pioreactors")) {
      Node units = top.get("pioreactors");
      for (Map.Entry<String, Node> e : entries(units, "pioreactors").entrySet()) {
        String unit = e.getKey();
        Optional<String> problem = Names.unitNameProblem(unit);
        if (problem.isPresent()) {
          throw new ProfileException(at(keyNode(units, unit)) + "'" + unit + "' is not a worker name: " + problem.get());
        }
        Map<String, Node> block = mapping(e.getValue(), "pioreactors." + unit, UNIT_BLOCK);
        if (block.containsKey("label")) {
          string(block.get("label"), "label");
        }
        if (block.containsKey("jobs")) {
          jobs(block.get("jobs"), unit, actions);
        }
      }
    }
    if (actions.isEmpty()) {
      throw new ProfileException(at(root) + "the profile has no actions (under common.jobs or pioreactors.<unit>.jobs)");
    }
    return new ExperimentProfile(name, description, actions);
  }

  private static void jobs(Node jobsNode, String unit, List<ProfileAction> out) {
    for (Map.Entry<String, Node> e : entries(jobsNode, "jobs").entrySet()) {
      String job = e.getKey();
      Optional<String> problem = Jobs.jobNameProblem(job);
      if (problem.isPresent()) {
        throw new ProfileException(at(keyNode(jobsNode, job)) + "'" + job + "' is not a job name: " + problem.get());
      }
      Map<String, Node> spec = mapping(e.getValue(), "job " + job, JOB);
      if (!spec.containsKey("actions")) {
        throw new ProfileException(at(e.getValue()) + "job " + job + " has no 'actions'");
      }
      if (!(spec.get("actions") instanceof SequenceNode list)) {
        throw new ProfileException(at(spec.get("actions")) + "'actions' of " + job + " must be a list");
      }
      for (Node a : list.getValue()) {
        out.add(action(a, unit, job));
      }
    }
  }

  private static ProfileAction action(Node node, String unit, String job) {
    Map<String, Node> a = mapping(node, "an action", ACTION);
    if (!a.containsKey("type")) {
      throw new ProfileException(at(node) + "an action of " + job + " needs a 'type' (start, stop, pause, resume, update, log)");
    }
    String typeText = string(a.get("type"), "type");
    ProfileAction.Type type;
    try {
      type = ProfileAction.Type.valueOf(typeText.toUpperCase());
    } catch (IllegalArgumentException e) {
      throw new ProfileException(at(a.get("type")) + "unknown action type '" + typeText + "' (start, stop, pause, resume, update, log)");
    }
    if (a.containsKey("t") == a.containsKey("hours_elapsed")) {
      throw new ProfileException(at(node) + "give each action exactly one of 't' or 'hours_elapsed'");
    }
    Node timeNode = a.containsKey("t") ? a.get("t") : a.get("hours_elapsed");
    long at;
    try {
      at = Durations.toMillis(scalarValue(timeNode));
    } catch (IllegalArgumentException e) {
      throw new ProfileException(at(timeNode) + e.getMessage());
    }
    JsonObject options = new JsonObject();
    if (a.containsKey("options")) {
      Object o = value(a.get("options"));
      if (!(o instanceof JsonObject obj)) {
        throw new ProfileException(at(a.get("options")) + "'options' must be a mapping of setting: value");
      }
      options = obj;
    }
    List<String> args = new ArrayList<>();
    if (a.containsKey("args")) {
      if (!(value(a.get("args")) instanceof JsonArray list) || list.stream().anyMatch(x -> !(x instanceof String))) {
        throw new ProfileException(at(a.get("args")) + "'args' must be a list of strings");
      }
      list.forEach(x -> args.add((String) x));
    }
    if (type == ProfileAction.Type.UPDATE && options.isEmpty()) {
      throw new ProfileException(at(node) + "an 'update' needs options: the settings to change");
    }
    if (type == ProfileAction.Type.LOG && !(options.getValue("message") instanceof String)) {
      throw new ProfileException(at(node) + "a 'log' needs options.message");
    }
    return new ProfileAction(unit, job, type, at, options, args, line(node));
  }

  // ---- YAML node helpers

  /** A mapping's entries by key; refuses keys outside {@code allowed}, naming the line of the bad key. */
  private static Map<String, Node> mapping(Node node, String what, Set<String> allowed) {
    Map<String, Node> out = entries(node, what);
    if (node instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        String key = ((ScalarNode) t.getKeyNode()).getValue();
        if (!allowed.contains(key)) {
          throw new ProfileException(at(t.getKeyNode()) + "unknown field '" + key + "' in " + what + " (expected one of: "
              + String.join(", ", allowed.stream().sorted().toList()) + ")");
        }
      }
    }
    return out;
  }

  private static Map<String, Node> entries(Node node, String what) {
    if (node instanceof ScalarNode s && s.getTag().equals(Tag.NULL)) {
      return Map.of();
    }
    if (!(node instanceof MappingNode m)) {
      throw new ProfileException(at(node) + what + " must be a mapping (key: value lines)");
    }
    Map<String, Node> out = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode k)) {
        throw new ProfileException(at(t.getKeyNode()) + "keys in " + what + " must be plain names");
      }
      if (out.put(k.getValue(), t.getValueNode()) != null) {
        throw new ProfileException(at(k) + "'" + k.getValue() + "' appears twice in " + what);
      }
    }
    return out;
  }

  private static Node keyNode(Node mapping, String key) {
    for (NodeTuple t : ((MappingNode) mapping).getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
        return k;
      }
    }
    return mapping;
  }

  private static String string(Node node, String what) {
    if (!(node instanceof ScalarNode s) || s.getTag().equals(Tag.NULL)) {
      throw new ProfileException(at(node) + "'" + what + "' must be text");
    }
    return s.getValue();
  }

  private static Object scalarValue(Node node) {
    if (!(node instanceof ScalarNode)) {
      throw new ProfileException(at(node) + "expected a single value here");
    }
    return value(node);
  }

  /** A node as JSON values: typed scalars (int, float, bool, null, text), mappings and lists. */
  private static Object value(Node node) {
    if (node instanceof ScalarNode s) {
      Tag tag = s.getTag();
      String v = s.getValue();
      try {
        if (tag.equals(Tag.INT)) {
          return Long.parseLong(v.replace("_", ""));
        }
        if (tag.equals(Tag.FLOAT)) {
          return Double.parseDouble(v.replace("_", ""));
        }
      } catch (NumberFormatException e) {
        throw new ProfileException(at(node) + "'" + v + "' is not a number this leader can read");
      }
      if (tag.equals(Tag.BOOL)) {
        return Boolean.parseBoolean(v.toLowerCase());
      }
      if (tag.equals(Tag.NULL)) {
        return null;
      }
      return v;
    }
    if (node instanceof SequenceNode seq) {
      JsonArray a = new JsonArray();
      seq.getValue().forEach(n -> a.add(value(n)));
      return a;
    }
    JsonObject o = new JsonObject();
    entries(node, "a mapping").forEach((k, n) -> o.put(k, value(n)));
    return o;
  }

  private static int line(Node node) {
    return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
  }

  private static String at(Node node) {
    return at(node.getStartMark());
  }

  private static String at(Optional<Mark> mark) {
    return mark.map(m -> "line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1) + ": ").orElse("");
  }
}
