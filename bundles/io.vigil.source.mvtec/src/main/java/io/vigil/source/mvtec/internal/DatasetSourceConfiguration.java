package io.vigil.source.mvtec.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Vigil data set source",
    description = "One split of a labelled data set on disk (MVTec AD, MVTec 3D-AD RGB, MVTec AD 2, VisA 1cls, "
        + "or any other registered format) as a finite image source. One configuration per source.")
@interface DatasetSourceConfiguration {

  @AttributeDefinition(
      name = "Source name",
      description = "Unique name of this source; the station selects it with (vigil.source.name=NAME).")
  String vigil_source_name();

  @AttributeDefinition(
      name = "Category directory",
      description = "The data set category to read, e.g. /data/mvtec_ad/bottle. Relative paths resolve against "
          + "the station's working directory.")
  String root();

  @AttributeDefinition(
      name = "Split",
      description = "The split to deliver: train or test (MVTec AD), validation, test_public (MVTec AD 2), ...")
  String split() default "test";

  @AttributeDefinition(
      name = "Format",
      description = "The data set format's name (mvtec-ad, mvtec-3d-ad, mvtec-ad-2, visa, folder), or auto: the "
          + "highest-ranked registered format that recognises the directory.")
  String format() default DatasetSourceComponent.AUTO;
}
