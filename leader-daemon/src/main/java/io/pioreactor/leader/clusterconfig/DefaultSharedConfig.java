package io.pioreactor.leader.clusterconfig;

/**
 * The shared configuration a new cluster starts with: upstream's sections and names, our defaults. Options that a
 * unit's own file could set before there was a cluster configuration ({@code hardware.*} in worker.json) are written
 * commented out, so an existing install keeps its values until someone sets them here.
 */
final class DefaultSharedConfig {
  private DefaultSharedConfig() {}

  static final String TEXT = """
      ; The cluster's shared configuration: every unit runs with it, merged with its own specific configuration
      ; (specific wins). Edit it on the Configuration page, with `pio config edit`, or `pio config set SECTION.KEY VALUE`.
      ; [cluster.topology], [cluster.addresses] and [mqtt] are the leader's own: written from its config file on every read.

      [PWM]
      ; which output each PWM channel drives
      1=stirring
      2=media
      3=alt_media
      4=waste
      5=heating

      [leds]
      ; LED channel labels, one name per channel
      A=IR
      B=
      C=
      D=

      [stirring.config]
      ; target_rpm of a stirring job started without one
      initial_target_rpm=500
      ; seconds between measured_rpm readings; while commented out, a unit's hardware.stirring_update_seconds (23)
      ; duration_between_updates_seconds=23

      [od_reading.config]
      ; readings per second; while commented out, 1 / a unit's hardware.od_interval_seconds (5 s)
      ; samples_per_second=0.2
      ir_led_intensity=80

      [od_config.photodiode_channel]
      ; the angle of each photodiode channel, or REF
      1=90
      2=REF
      3=
      4=

      [temperature_automation.thermostat]
      Kp=2.6
      Ki=0.0
      Kd=4.6

      [dosing_automation.config]
      pause_between_subdoses_seconds=5
      waste_removal_multiplier=2
      max_subdose=1.0

      [growth_rate_calculating.config]
      ekf_outlier_std_threshold=5.0
      samples_for_od_statistics=10

      [logging]
      ui_log_level=INFO

      [ui.overview.settings]
      filtered_od_lookback_hours=12
      raw_od_lookback_hours=12

      [ui.overview.charts]
      implied_growth_rate=1
      temperature=1
      normalized_optical_density=1
      optical_density=1
      stirring_rate=1

      [ui.overview.cards]
      ; the dosings card reads an endpoint this leader does not answer yet
      dosings=0
      event_logs=1
      profiles=1

      [cluster.topology]

      [cluster.addresses]

      [mqtt]
      """;
}
