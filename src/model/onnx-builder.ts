/**
 * A small typed builder of ONNX graphs on `onnx-proto` (protobufjs static code of the ONNX schema).
 * Nodes get unique output names; weights are stored as `rawData` (little-endian, as ONNX requires).
 *
 * Example:
 *   const g = new GraphBuilder('tiny');
 *   const x = g.input('x', DataType.FLOAT, ['batch', 4]);
 *   const w = g.initializer('w', DataType.FLOAT, [4, 2], new Float32Array(8));
 *   g.output(g.op('MatMul', [x, w], {}, 'y'), DataType.FLOAT, ['batch', 2]);
 *   const bytes = g.toModel();   // Uint8Array of a ModelProto, opset 17, IR 8
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** ONNX tensor element types used here (TensorProto.DataType). */
export const DataType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
} as const;
/** One of `DataType`'s values. */
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

/** A node attribute value: int, float, string, or list of ints. */
export type AttrValue = number | string | number[] | { float: number };

/** A dimension: a fixed size or a symbolic name (dynamic). */
export type Dim = number | string;

/** Typed arrays that can be stored as initializer raw data. */
export type RawArray = Float32Array | Int8Array | Uint8Array | Int32Array | BigInt64Array;

/** Options of `GraphBuilder.toModel`. */
export interface ModelOptions {
  /** Default-domain opset; default 17. */
  opset?: number;
  /** IR version; default 8. */
  irVersion?: number;
  /** `producer_name` of the model; default 'geniza'. */
  producer?: string;
}

/** Builds one ONNX graph node by node. */
export class GraphBuilder {
  private readonly nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  private readonly initializers: InstanceType<typeof onnx.TensorProto>[] = [];
  private readonly inputs: InstanceType<typeof onnx.ValueInfoProto>[] = [];
  private readonly outputs: InstanceType<typeof onnx.ValueInfoProto>[] = [];
  private readonly names = new Set<string>();
  private counter = 0;

  /** @param name graph name */
  constructor(readonly name: string) {}

  /** A value name starting with `prefix` that is not taken yet (taken once a value gets it). */
  fresh(prefix: string): string {
    let n: string;
    do n = `${prefix}_${this.counter++}`; while (this.names.has(n));
    return n;
  }

  private claim(name: string): string {
    if (this.names.has(name)) throw new Error(`onnx: duplicate value name ${name}`);
    this.names.add(name);
    return name;
  }

  /** Declares a graph input. */
  input(name: string, type: DataTypeCode, shape: Dim[]): string {
    this.inputs.push(valueInfo(this.claim(name), type, shape));
    return name;
  }

  /** Declares an existing value as a graph output. */
  output(name: string, type: DataTypeCode, shape: Dim[]): string {
    this.outputs.push(valueInfo(name, type, shape));
    return name;
  }

  /** Adds a constant tensor (weights) and returns its name. */
  initializer(name: string, type: DataTypeCode, dims: number[], data: RawArray): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (data.length !== size) throw new Error(`onnx: initializer ${name} needs ${size} values (got ${data.length})`);
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    this.initializers.push(onnx.TensorProto.create({ name: this.claim(name), dataType: type, dims, rawData: bytes.slice() }));
    return name;
  }

  /** A float32 constant. */
  constFloat(prefix: string, dims: number[], values: ArrayLike<number>): string {
    return this.initializer(this.fresh(prefix), DataType.FLOAT, dims, Float32Array.from(values));
  }

  /** An int64 constant (shapes, axes). */
  constInt64(prefix: string, values: number[]): string {
    return this.initializer(this.fresh(prefix), DataType.INT64, [values.length], BigInt64Array.from(values.map(BigInt)));
  }

  /** Adds a node with one output and returns the output's name (`out` names it, else a fresh name). */
  op(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, out?: string): string {
    return this.opN(opType, inputs, 1, attrs, out === undefined ? undefined : [out])[0]!;
  }

  /** Adds a node with `nOut` outputs and returns their names. */
  opN(opType: string, inputs: string[], nOut: number, attrs: Record<string, AttrValue> = {}, outs?: string[], domain = ''): string[] {
    const outputs = (outs ?? Array.from({ length: nOut }, () => this.fresh(opType))).map((o) => this.claim(o));
    this.nodes.push(onnx.NodeProto.create({
      opType,
      domain,
      input: inputs,
      output: outputs,
      name: `n${this.nodes.length}_${opType}`,
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    }));
    return outputs;
  }

  /** Serializes the graph as a ModelProto. */
  toModel(opts: ModelOptions = {}): Uint8Array {
    const graph = onnx.GraphProto.create({
      name: this.name,
      node: this.nodes,
      initializer: this.initializers,
      input: this.inputs,
      output: this.outputs,
    });
    const model = onnx.ModelProto.create({
      irVersion: opts.irVersion ?? 8,
      producerName: opts.producer ?? 'geniza',
      opsetImport: [onnx.OperatorSetIdProto.create({ domain: '', version: opts.opset ?? 17 })],
      graph,
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function valueInfo(name: string, elemType: DataTypeCode, shape: Dim[]): InstanceType<typeof onnx.ValueInfoProto> {
  const dim = shape.map((d) => (typeof d === 'string'
    ? onnx.TensorShapeProto.Dimension.create({ dimParam: d })
    : onnx.TensorShapeProto.Dimension.create({ dimValue: d })));
  return onnx.ValueInfoProto.create({
    name,
    type: onnx.TypeProto.create({
      tensorType: onnx.TypeProto.Tensor.create({ elemType, shape: onnx.TensorShapeProto.create({ dim }) }),
    }),
  });
}

function attribute(name: string, v: AttrValue): InstanceType<typeof onnx.AttributeProto> {
  const A = onnx.AttributeProto.AttributeType;
  if (typeof v === 'object' && !Array.isArray(v)) return onnx.AttributeProto.create({ name, type: A.FLOAT, f: v.float });
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) return onnx.AttributeProto.create({ name, type: A.FLOAT, f: v });
    return onnx.AttributeProto.create({ name, type: A.INT, i: v });
  }
  if (typeof v === 'string') return onnx.AttributeProto.create({ name, type: A.STRING, s: new TextEncoder().encode(v) });
  return onnx.AttributeProto.create({ name, type: A.INTS, ints: v });
}

/** Parses a serialized model back (for tests and tooling). */
export function decodeModel(bytes: Uint8Array): InstanceType<typeof onnx.ModelProto> {
  return onnx.ModelProto.decode(bytes);
}
