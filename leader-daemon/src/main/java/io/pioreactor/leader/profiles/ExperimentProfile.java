package io.pioreactor.leader.profiles;

import java.util.Comparator;
import java.util.List;

/** A parsed profile: its name, description, and every action in time order (file order for ties). */
public record ExperimentProfile(String name, String description, List<ProfileAction> actions) {

  public ExperimentProfile {
    actions = actions.stream().sorted(Comparator.comparingLong(ProfileAction::atMillis)).toList(); // stable sort
  }
}
