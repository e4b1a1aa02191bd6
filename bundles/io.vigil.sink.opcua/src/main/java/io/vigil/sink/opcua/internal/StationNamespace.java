package io.vigil.sink.opcua.internal;

import io.vigil.api.detector.Detection;
import io.vigil.api.inspection.InspectionResult;
import io.vigil.api.inspection.StationStatus;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.api.DataItem;
import org.eclipse.milo.opcua.sdk.server.api.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.api.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.api.methods.AbstractMethodInvocationHandler;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaMethodNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.nodes.filters.AttributeFilter;
import org.eclipse.milo.opcua.sdk.server.nodes.filters.AttributeFilterContext;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.UaRuntimeException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.structured.Argument;

/**
 * The station's address space: a folder "Station" under Objects with its state, counters, last
 * result and three methods. Values are read live from {@link StationFigures} and the station at
 * each read or sample; the threshold is writable and the methods callable only by the configured
 * user ({@link Operator}).
 */
final class StationNamespace extends ManagedNamespaceWithLifecycle {
  static final String URI = "urn:vigil:station";

  /** What the methods and the threshold write change: the station's configuration. */
  interface Control {
    /** The station's status, or null when no station runs. */
    StationStatus status();

    void setPaused(boolean paused) throws Exception;

    /** Overrides the raw-score threshold for {@code detector} (the one scoring now). */
    void setThreshold(double threshold, String detector) throws Exception;
  }

  private final StationFigures figures;
  private final Control control;
  private final SubscriptionModel subscriptions;

  StationNamespace(OpcUaServer server, StationFigures figures, Control control) {
    super(server, URI);
    this.figures = figures;
    this.control = control;
    subscriptions = new SubscriptionModel(server, this);
    getLifecycleManager().addLifecycle(subscriptions);
    getLifecycleManager().addStartupTask(this::createNodes);
  }

  private void createNodes() {
    UaFolderNode station = folder("Station", "The Vigil inspection station");
    station.addReference(new Reference(
        station.getNodeId(), Identifiers.Organizes, Identifiers.ObjectsFolder.expanded(), false));

    variable(station, "Station/State", "State", Identifiers.String,
        () -> status(s -> s.state().name(), "NO_STATION"));
    variable(station, "Station/Source", "Source", Identifiers.String, () -> status(StationStatus::sourceName, ""));
    variable(station, "Station/Model", "Model", Identifiers.String, () -> status(StationStatus::detectorName, ""));
    variable(station, "Station/FramesPerSecond", "FramesPerSecond", Identifiers.Double,
        () -> status(StationStatus::framesPerSecond, 0.0));
    UaVariableNode threshold = variable(station, "Station/Threshold", "Threshold", Identifiers.Double,
        () -> lastOr(InspectionResult::threshold, Double.NaN));
    threshold.setAccessLevel(AccessLevel.toValue(AccessLevel.READ_WRITE));
    threshold.getFilterChain().addFirst(new ControllerOnlyWrite());

    UaFolderNode counters = folder("Station/Counters", "Counters");
    station.addOrganizes(counters);
    variable(counters, "Station/Counters/Inspected", "Inspected", Identifiers.Int64, figures::inspected);
    variable(counters, "Station/Counters/OK", "OK", Identifiers.Int64, figures::ok);
    variable(counters, "Station/Counters/NOK", "NOK", Identifiers.Int64, figures::nok);
    variable(counters, "Station/Counters/Errors", "Errors", Identifiers.Int64, figures::errors);

    UaFolderNode last = folder("Station/LastResult", "LastResult");
    station.addOrganizes(last);
    variable(last, "Station/LastResult/Sequence", "Sequence", Identifiers.Int64, () -> lastOr(InspectionResult::sequence, 0L));
    variable(last, "Station/LastResult/FrameId", "FrameId", Identifiers.String, () -> lastOr(InspectionResult::frameId, ""));
    variable(last, "Station/LastResult/Time", "Time", Identifiers.DateTime,
        () -> lastOr(r -> new DateTime(r.completedAt()), DateTime.MIN_VALUE));
    variable(last, "Station/LastResult/Decision", "Decision", Identifiers.String,
        () -> lastOr(r -> r.detection() == null ? "ERROR" : r.detection().decision().name(), ""));
    variable(last, "Station/LastResult/Score", "Score", Identifiers.Double,
        () -> lastOr(r -> detectionOr(r, Detection::rawScore), Double.NaN));
    variable(last, "Station/LastResult/NormalizedScore", "NormalizedScore", Identifiers.Double,
        () -> lastOr(r -> detectionOr(r, Detection::normalizedScore), Double.NaN));
    variable(last, "Station/LastResult/Milliseconds", "Milliseconds", Identifiers.Double,
        () -> lastOr(r -> r.processingTime().toNanos() / 1e6, Double.NaN));
    variable(last, "Station/LastResult/Error", "Error", Identifiers.String,
        () -> lastOr(r -> r.error() == null ? "" : r.error(), ""));

    method(station, "Station/StartInspection", "StartInspection", "Reads frames again after StopInspection.",
        new Argument[0], arguments -> control.setPaused(false));
    method(station, "Station/StopInspection", "StopInspection",
        "Stops reading frames (those already read are still inspected); the source stays open.",
        new Argument[0], arguments -> control.setPaused(true));
    Argument value = new Argument("Threshold", Identifiers.Double, -1, null,
        LocalizedText.english("Raw image score from which a part is rejected, for the model scoring now"));
    method(station, "Station/SetThreshold", "SetThreshold", "Moves the decision threshold of the current model.",
        new Argument[] {value}, arguments -> setThreshold(arguments[0].getValue()));
  }

  private void setThreshold(Object value) throws Exception {
    if (!(value instanceof Double threshold) || !Double.isFinite(threshold)) {
      throw new UaException(StatusCodes.Bad_InvalidArgument, "the threshold must be a finite Double");
    }
    String detector = status(StationStatus::detectorName, null);
    if (detector == null) {
      throw new UaException(StatusCodes.Bad_InvalidState, "no model is scoring: a threshold would mean nothing");
    }
    control.setThreshold(threshold, detector);
  }

  private <T> T status(Function<StationStatus, T> field, T otherwise) {
    StationStatus status = control.status();
    T value = status == null ? null : field.apply(status);
    return value == null ? otherwise : value;
  }

  private <T> T lastOr(Function<InspectionResult, T> field, T otherwise) {
    InspectionResult result = figures.last();
    return result == null ? otherwise : field.apply(result);
  }

  private static double detectionOr(InspectionResult result, java.util.function.ToDoubleFunction<Detection> field) {
    return result.detection() == null ? Double.NaN : field.applyAsDouble(result.detection());
  }

  private UaFolderNode folder(String id, String name) {
    UaFolderNode folder = new UaFolderNode(getNodeContext(), newNodeId(id), newQualifiedName(name),
        LocalizedText.english(name));
    getNodeManager().addNode(folder);
    return folder;
  }

  private UaVariableNode variable(UaFolderNode parent, String id, String name, NodeId type, Supplier<?> value) {
    UaVariableNode node = new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
        .setNodeId(newNodeId(id))
        .setBrowseName(newQualifiedName(name))
        .setDisplayName(LocalizedText.english(name))
        .setDataType(type)
        .setTypeDefinition(Identifiers.BaseDataVariableType)
        .setAccessLevel(AccessLevel.READ_ONLY)
        .setUserAccessLevel(AccessLevel.READ_ONLY)
        .build();
    // Read at every read and sample: the figures are the truth, the node keeps no copy.
    node.getFilterChain().addLast(new AttributeFilter() {
      @Override
      public Object getAttribute(AttributeFilterContext.GetAttributeContext context, AttributeId attribute) {
        return attribute == AttributeId.Value ? new DataValue(new Variant(value.get())) : context.getAttribute(attribute);
      }
    });
    getNodeManager().addNode(node);
    parent.addOrganizes(node);
    return node;
  }

  @FunctionalInterface
  private interface Action {
    void run(Variant[] arguments) throws Exception;
  }

  private void method(UaFolderNode parent, String id, String name, String description, Argument[] inputs,
      Action action) {
    UaMethodNode node = UaMethodNode.builder(getNodeContext())
        .setNodeId(newNodeId(id))
        .setBrowseName(newQualifiedName(name))
        .setDisplayName(LocalizedText.english(name))
        .setDescription(LocalizedText.english(description))
        .build();
    node.getFilterChain().addFirst(new ControllerOnlyExecute());
    AbstractMethodInvocationHandler handler = new AbstractMethodInvocationHandler(node) {
      @Override
      public Argument[] getInputArguments() {
        return inputs;
      }

      @Override
      public Argument[] getOutputArguments() {
        return new Argument[0];
      }

      @Override
      protected Variant[] invoke(InvocationContext context, Variant[] arguments) throws UaException {
        if (!Operator.mayControl(context.getSession().map(s -> s.getIdentityObject()).orElse(null))) {
          throw new UaException(StatusCodes.Bad_UserAccessDenied, name + " needs the configured user");
        }
        try {
          action.run(arguments);
        } catch (UaException e) {
          throw e;
        } catch (Exception e) {
          throw new UaException(StatusCodes.Bad_InternalError, name + " failed: " + e.getMessage());
        }
        return new Variant[0];
      }
    };
    node.setInputArguments(inputs);
    node.setOutputArguments(new Argument[0]);
    node.setInvocationHandler(handler);
    getNodeManager().addNode(node);
    parent.addReference(new Reference(parent.getNodeId(), Identifiers.HasComponent, node.getNodeId().expanded(), true));
  }

  private static boolean controller(AttributeFilterContext context) {
    return Operator.mayControl(context.getSession().map(s -> s.getIdentityObject()).orElse(null));
  }

  /** The threshold: the configured user may write it (the station's override for the current model); others read. */
  private final class ControllerOnlyWrite implements AttributeFilter {
    @Override
    public Object getAttribute(AttributeFilterContext.GetAttributeContext context, AttributeId attribute) {
      if (attribute == AttributeId.UserAccessLevel) {
        return controller(context) ? AccessLevel.toValue(AccessLevel.READ_WRITE) : AccessLevel.toValue(AccessLevel.READ_ONLY);
      }
      return context.getAttribute(attribute);
    }

    @Override
    public void setAttribute(AttributeFilterContext.SetAttributeContext context, AttributeId attribute, Object value) {
      if (attribute != AttributeId.Value) {
        context.setAttribute(attribute, value);
        return;
      }
      // Milo checked UserAccessLevel above before it got here: only the controller writes.
      Object written = value instanceof DataValue data ? data.getValue().getValue() : null;
      try {
        setThreshold(written);
      } catch (UaException e) {
        throw new UaRuntimeException(e.getStatusCode().getValue()); // a filter may not throw checked exceptions
      } catch (Exception e) {
        throw new UaRuntimeException(StatusCodes.Bad_InternalError);
      }
    }
  }

  /** Methods are executable for the configured user only; anonymous clients see them as not executable. */
  private static final class ControllerOnlyExecute implements AttributeFilter {
    @Override
    public Object getAttribute(AttributeFilterContext.GetAttributeContext context, AttributeId attribute) {
      if (attribute == AttributeId.UserExecutable) {
        return controller(context);
      }
      return context.getAttribute(attribute);
    }
  }

  @Override
  public void onDataItemsCreated(List<DataItem> items) {
    subscriptions.onDataItemsCreated(items);
  }

  @Override
  public void onDataItemsModified(List<DataItem> items) {
    subscriptions.onDataItemsModified(items);
  }

  @Override
  public void onDataItemsDeleted(List<DataItem> items) {
    subscriptions.onDataItemsDeleted(items);
  }

  @Override
  public void onMonitoringModeChanged(List<MonitoredItem> items) {
    subscriptions.onMonitoringModeChanged(items);
  }

}
