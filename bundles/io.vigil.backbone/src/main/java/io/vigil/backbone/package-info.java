/**
 * Frozen ImageNet-pretrained networks as feature extractors: {@link io.vigil.backbone.BackboneFactory}
 * services load a {@link io.vigil.backbone.Backbone}, which turns image batches into feature maps
 * at named layers (taps). Signatures use DJL's engine-neutral NDArray.
 */
@Version("1.4.0")
@Export
package io.vigil.backbone;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
